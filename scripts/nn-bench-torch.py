#!/usr/bin/env python3
"""Per-epoch time of Adam on the digits MLP 64-128-128-10 (tanh, softmax) in PyTorch's CPU Adam, one thread,
float64 (NatGrad computes in Double), batch 64, lr 0.01, 100 epochs: the reference for nn-bench's Adam timing.

Usage: OPENBLAS_NUM_THREADS=1 python3 scripts/nn-bench-torch.py [--data Tests/Reference/datasets] [--epochs 100]
Prints the median and mean seconds per epoch (optimizer steps only, the per-epoch evaluation excluded) and the
final training loss. Shuffles with its own seeded generator, so the loss differs from nn-bench's in the digits.
"""
import argparse, time, statistics
import numpy as np
import torch

p = argparse.ArgumentParser()
p.add_argument("--data", default="Tests/Reference/datasets")
p.add_argument("--epochs", type=int, default=100)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--lr", type=float, default=0.01)
a = p.parse_args()
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
d = np.loadtxt(f"{a.data}/digits_train.csv", delimiter=",", skiprows=1)
x, y = d[:, :-1], d[:, -1].astype(np.int64)
m, s = x.mean(0), x.std(0)
s[s == 0] = 1
x = torch.tensor((x - m) / s)
y = torch.tensor(y)
torch.manual_seed(2026)
net = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.Tanh(), torch.nn.Linear(128, 128), torch.nn.Tanh(),
                          torch.nn.Linear(128, 10))
opt = torch.optim.Adam(net.parameters(), lr=a.lr)
loss_fn = torch.nn.CrossEntropyLoss()
g = torch.Generator().manual_seed(17)
times = []
for epoch in range(a.epochs):
    perm = torch.randperm(len(y), generator=g)
    t0 = time.perf_counter()
    for i in range(0, len(y), a.batch):
        idx = perm[i:i + a.batch]
        opt.zero_grad()
        loss = loss_fn(net(x[idx]), y[idx])
        loss.backward()
        opt.step()
    times.append(time.perf_counter() - t0)
with torch.no_grad():
    final = loss_fn(net(x), y).item()
print(f"torch {torch.__version__} Adam: median {statistics.median(times):.4f} s/epoch, mean {statistics.mean(times):.4f}, "
      f"final train loss {final:.3e}")
