#!/usr/bin/env python3
"""Plots of nn-bench's curves: training loss against epochs and against seconds for the four optimizers
(docs/readme/nn-training-loss.png), and the reliability diagram of Adam against the BLR
(docs/readme/nn-reliability.png). Reads the CSV files nn-bench writes (default .build/nn-bench).
Usage: python3 scripts/plot-nn-bench.py [--input .build/nn-bench] [--output docs/readme]"""
import argparse, csv, os
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

p = argparse.ArgumentParser()
p.add_argument("--input", default=".build/nn-bench")
p.add_argument("--output", default="docs/readme")
a = p.parse_args()
os.makedirs(a.output, exist_ok=True)

def rows(name):
    with open(os.path.join(a.input, name)) as f:
        return list(csv.DictReader(f))

fig, ax = plt.subplots(1, 2, figsize=(11, 4))
for key, label in [("adam", "Adam (best of 5 lr)"), ("sgd", "SGD + momentum (best of 3 lr)"), ("kfac", "K-FAC"),
                   ("blr", "BLR (posterior mean)")]:
    r = rows(f"digits-{key}.csv")
    e = [int(x["epoch"]) for x in r]; l = [float(x["trainLoss"]) for x in r]; s = [float(x["seconds"]) for x in r]
    ax[0].semilogy(e, l, label=label)
    ax[1].semilogy(s, l, label=label)
ax[0].set_xlabel("epoch"); ax[1].set_xlabel("seconds (optimizer steps, one thread)")
for x in ax: x.set_ylabel("training loss (mean NLL)"); x.grid(True, which="both", alpha=0.3)
ax[0].legend()
fig.suptitle("digits, MLP 64-128-128-10 (tanh), batch 64")
fig.tight_layout()
fig.savefig(os.path.join(a.output, "nn-training-loss.png"), dpi=110)

fig, ax = plt.subplots(figsize=(5, 5))
ax.plot([0, 1], [0, 1], "k:", label="perfect calibration")
bins = {}
for r in rows("digits-reliability.csv"):
    bins.setdefault(r["model"], []).append((float(r["confidence"]), float(r["accuracy"]), int(r["count"])))
for model, b in bins.items():
    if not (model.startswith("Adam") or model.startswith("BLR predictive")): continue
    ax.plot([x[0] for x in b], [x[1] for x in b], "o-", label=model)
ax.set_xlabel("confidence (mean max probability in bin)"); ax.set_ylabel("accuracy in bin")
ax.set_title("digits test set, 15 bins"); ax.legend(); ax.grid(True, alpha=0.3)
fig.tight_layout()
fig.savefig(os.path.join(a.output, "nn-reliability.png"), dpi=110)
print("wrote", a.output)
