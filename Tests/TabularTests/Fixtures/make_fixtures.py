#!/usr/bin/env python3
"""Writes the table-reader fixtures the way real tools write them, and the statsmodels reference.

Run once from this directory (python 3.11, pandas 3.1, statsmodels 0.15); the outputs are checked in:
    python3 make_fixtures.py
Each file is named after the tool and setting that wrote it; TabularTests and natgradTests read them.
"""
import csv
import io
import json

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

rng = np.random.default_rng(20261203)

# 1. Python's csv module, default dialect: CRLF line endings, minimal quoting.
with open("python_csv_crlf.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "label", "x", "y"])
    w.writerow([1, "plain", 0.5, 1.25])
    w.writerow([2, "with, comma", -1.5, 2.0])
    w.writerow([3, 'say "hi"', 2.25, -3.5])
    w.writerow([4, "two\nlines", 1e-3, 4.0])
    w.writerow([5, "", 3.0, 5.5])

# 2. pandas to_csv with its default index=True, and empty cells for NaN.
df = pd.DataFrame({"x": [1.0, 2.0, np.nan, 4.0, 5.0], "y": [2.1, 3.9, 6.2, 8.1, 9.8]})
df.to_csv("pandas_index.csv")
# 2b. The same file read back and written again: the index column comes back as "Unnamed: 0".
pd.read_csv("pandas_index.csv").to_csv("pandas_unnamed.csv")
# 2c. Without the index.
df.to_csv("pandas_noindex.csv", index=False)

# 3. Excel "CSV UTF-8": a byte-order mark and CRLF.
pd.DataFrame({"température": [20.5, 21.0, 19.5], "ville": ["Zürich", "Genève", "Köln"]}).to_csv(
    "excel_bom_crlf.csv", index=False, encoding="utf-8-sig", lineterminator="\r\n")

# 4. CR-only line endings (classic Mac OS) and a mix of LF, CRLF and CR (files concatenated).
df.to_csv("cr_only.csv", index=False, lineterminator="\r")
with open("mixed_endings.csv", "wb") as f:
    f.write(b"a,b\n1,2\r\n3,4\r5,6\n\n7,8")

# 5. Tab- and semicolon-separated.
df.to_csv("pandas_tab.tsv", sep="\t", index=False)
df.to_csv("pandas_semicolon.csv", sep=";", index=False)

# 6. R's write.csv: every string quoted, row names in an unnamed first column, NA for missing.
with open("r_write_csv.csv", "w", newline="") as f:
    f.write('"","x","region","y"\n"1",1.5,"north",2\n"2",NA,"south",3\n"3",2.5,NA,4\n"4",3.5,"north",5\n')

# 7. Broken files: an invalid UTF-8 byte, a NUL inside a number, duplicate names, a ragged row,
#    an unclosed quote.
with open("invalid_utf8.csv", "wb") as f:
    f.write(b"name,x\nok,1\nbad\xff,2\n")
with open("nul_in_number.csv", "wb") as f:
    f.write(b"x,y\n1,2\n3\x004,5\n")
with open("duplicate_header.csv", "w", newline="") as f:
    f.write("x,y,x\n1,2,3\n")
with open("ragged.csv", "w", newline="") as f:
    f.write("x,y\n1,2\n3\n")
with open("unclosed_quote.csv", "w", newline="") as f:
    f.write('x,label\n1,"open\n2,b\n')

# 8. A GLM with a string column, a boolean column and missing cells, and statsmodels' fit of
#    y ~ region + member + x on the complete rows, as a user would run it on the file.
n = 200
region = rng.choice(["north", "south", "east"], size=n)
member = rng.choice([True, False], size=n)
x = rng.normal(size=n)
effect = {"east": 0.0, "north": 0.7, "south": -0.4}
y = 1.0 + np.array([effect[r] for r in region]) + 0.5 * member + 1.5 * x + rng.normal(scale=0.8, size=n)
frame = pd.DataFrame({"y": y, "region": region, "member": member, "x": x})
frame = frame.astype({"region": object, "member": object})
for column, rows in [("x", [3, 17, 50]), ("region", [8, 99]), ("member", [120]), ("y", [150])]:
    frame.loc[rows, column] = np.nan
frame.to_csv("glm_categorical.csv", index=False)
data = pd.read_csv("glm_categorical.csv")
fit = smf.glm("y ~ region + member + x", data=data.dropna()).fit()
names = [("intercept" if k == "Intercept" else k) for k in fit.params.index]
reference = {
    "script": "Tests/TabularTests/Fixtures/make_fixtures.py",
    "statsmodels": __import__("statsmodels").__version__,
    "formula": "y ~ region + member + x (Gaussian, identity) on pd.read_csv(file).dropna()",
    "rowsRead": int(len(data)), "rowsUsed": int(fit.nobs),
    "names": names,
    "coefficients": [repr(float(v)) for v in fit.params.values],
    "standardErrors": [repr(float(v)) for v in fit.bse.values],
    "deviance": repr(float(fit.deviance)),
}
with open("glm_categorical_reference.json", "w") as f:
    json.dump(reference, f, indent=1)
print("rows", len(data), "used", int(fit.nobs), names)
