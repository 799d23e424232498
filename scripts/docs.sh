#!/usr/bin/env bash
# Builds the DocC archive of every library module into .build/docs/<Module>.doccarchive and fails
# when DocC reports any warning (broken links, unresolved symbols, malformed markup). Run for every
# module (no arguments), it also fails when scripts/doc-coverage.py finds a public symbol without a
# doc-comment abstract.
# Usage: scripts/docs.sh [Module ...]   (default: every library product in Package.swift)
set -euo pipefail
cd "$(dirname "$0")/.."
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
    # Every library product of Package.swift (each names one target of the same name).
    mapfile -t modules < <(sed -n 's/^ *\.library(name: "\([A-Za-z]*\)".*/\1/p' Package.swift)
fi
out=.build/docs
mkdir -p "$out"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for module in "${modules[@]}"; do
    if ! swift package --allow-writing-to-directory "$out" generate-documentation --target "$module" \
        --output-path "$out/$module.doccarchive" >"$log" 2>&1; then
        echo "docs.sh: $module: DocC failed:" >&2
        tail -20 "$log" >&2
        status=1
    elif grep -qE "warning:" "$log"; then
        echo "docs.sh: $module: $(grep -cE "warning:" "$log") DocC warning(s):" >&2
        grep -E "warning:" "$log" >&2
        status=1
    else
        echo "docs.sh: $module: $out/$module.doccarchive (no warnings)"
    fi
done
# With no arguments every module was built: every public symbol must have a doc-comment abstract.
if [ $# -eq 0 ] && ! python3 scripts/doc-coverage.py; then
    status=1
fi
exit $status
