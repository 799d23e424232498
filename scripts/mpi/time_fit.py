#!/usr/bin/env python3
"""Times a natgrad glm run (one process or under mpirun): wall time, and the time of each Fisher-scoring
iteration from the arrival of the "glm: iteration k" progress lines on stderr (printed for large fits).

Usage: python3 time_fit.py -- COMMAND...
Prints: total seconds, seconds until the first iteration line (reading, design, starting values and the
first iteration), the median seconds between later iteration lines, and the iteration count; then the
command's other stderr lines (notes, errors, `/usr/bin/time` reports).
"""
import statistics
import subprocess
import sys
import time

command = sys.argv[sys.argv.index("--") + 1:]
start = time.monotonic()
process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           stdin=subprocess.DEVNULL)
stamps = []
other = []
for line in process.stderr:
    if line.startswith("glm: iteration"):
        stamps.append(time.monotonic() - start)
    else:
        other.append(line.rstrip("\n"))
status = process.wait()
total = time.monotonic() - start
gaps = [b - a for a, b in zip(stamps, stamps[1:])]
print("status %d  total %.2f s  first iteration line at %.2f s  median iteration %.3f s  iterations %d"
      % (status, total, stamps[0] if stamps else float("nan"), statistics.median(gaps) if gaps else float("nan"),
         len(stamps)))
for line in other:
    print("  " + line)
