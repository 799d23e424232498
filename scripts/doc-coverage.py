#!/usr/bin/env python3
"""Lists the public symbols declared in Sources/ that have no doc-comment abstract, from the symbol graphs
the DocC plugin extracted (run scripts/docs.sh first; it calls this). Exit status 1 when there is any.

A symbol counts as documented when its doc comment has a first paragraph that is not only a
`- Parameters:`/`- Returns:`/`- Throws:` list (DocC's "abstract"). Symbols without a source location in
this package (inherited protocol members such as `!=` or `localizedDescription`) are not ours and are skipped.
Usage: scripts/doc-coverage.py [MODULE ...]   (default: every module with an extracted symbol graph)
"""
import glob
import json
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sources = os.path.join(root, "Sources") + os.sep
graphs = sorted(glob.glob(os.path.join(root, ".build", "*", "extracted-symbols", "*", "*", "*.symbols.json")))
wanted = set(sys.argv[1:])
missing, total = [], 0
seen = set()
for path in graphs:
    module = os.path.basename(os.path.dirname(path))
    if wanted and module not in wanted:
        continue
    for symbol in json.load(open(path))["symbols"]:
        uri = symbol.get("location", {}).get("uri", "")
        if symbol.get("accessLevel") not in ("public", "open") or sources not in uri:
            continue
        key = symbol["identifier"]["precise"]
        if key in seen:
            continue
        seen.add(key)
        total += 1
        lines = [l["text"].strip() for l in symbol.get("docComment", {}).get("lines", [])]
        abstract = next((l for l in lines if l), "")
        if not abstract or abstract.startswith("- "):
            line = symbol["location"].get("position", {}).get("line", 0) + 1
            missing.append(f"{uri.split(sources)[1]}:{line}: {'.'.join(symbol['pathComponents'])}")
for entry in sorted(missing):
    print(f"doc-coverage: undocumented: {entry}")
print(f"doc-coverage: {total - len(missing)} of {total} public symbols documented")
sys.exit(1 if missing else 0)
