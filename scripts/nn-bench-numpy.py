#!/usr/bin/env python3
"""The same Adam run as scripts/nn-bench-torch.py in plain numpy (float64, hand-written backprop), for hosts
without PyTorch. Usage: OPENBLAS_NUM_THREADS=1 python3 scripts/nn-bench-numpy.py [--data …] [--epochs 100]"""
import argparse, time, statistics
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--data", default="Tests/Reference/datasets")
p.add_argument("--epochs", type=int, default=100)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--lr", type=float, default=0.01)
a = p.parse_args()
d = np.loadtxt(f"{a.data}/digits_train.csv", delimiter=",", skiprows=1)
x, y = d[:, :-1], d[:, -1].astype(int)
m, s = x.mean(0), x.std(0)
s[s == 0] = 1
x = (x - m) / s
rng = np.random.default_rng(2026)
sizes = [64, 128, 128, 10]
W = [rng.normal(size=(sizes[i], sizes[i + 1])) / np.sqrt(sizes[i]) for i in range(3)]
b = [np.zeros(sizes[i + 1]) for i in range(3)]
params = W + b
M = [np.zeros_like(q) for q in params]
V = [np.zeros_like(q) for q in params]
onehot = np.eye(10)[y]
t = 0
times = []
for epoch in range(a.epochs):
    perm = rng.permutation(len(y))
    t0 = time.perf_counter()
    for i in range(0, len(y), a.batch):
        idx = perm[i:i + a.batch]
        h0 = x[idx]; z0 = h0 @ W[0] + b[0]; h1 = np.tanh(z0); z1 = h1 @ W[1] + b[1]; h2 = np.tanh(z1)
        eta = h2 @ W[2] + b[2]
        e = np.exp(eta - eta.max(1, keepdims=True)); pr = e / e.sum(1, keepdims=True)
        d2 = (pr - onehot[idx]) / len(idx)
        g2 = h2.T @ d2; gb2 = d2.sum(0)
        d1 = (d2 @ W[2].T) * (1 - h2 ** 2); g1 = h1.T @ d1; gb1 = d1.sum(0)
        d0 = (d1 @ W[1].T) * (1 - h1 ** 2); g0 = h0.T @ d0; gb0 = d0.sum(0)
        grads = [g0, g1, g2, gb0, gb1, gb2]
        t += 1
        for k in range(6):
            M[k] = 0.9 * M[k] + 0.1 * grads[k]; V[k] = 0.999 * V[k] + 0.001 * grads[k] ** 2
            params[k] -= a.lr * (M[k] / (1 - 0.9 ** t)) / (np.sqrt(V[k] / (1 - 0.999 ** t)) + 1e-8)
    times.append(time.perf_counter() - t0)
h = np.tanh(np.tanh(x @ W[0] + b[0]) @ W[1] + b[1]) @ W[2] + b[2]
lse = np.log(np.exp(h - h.max(1, keepdims=True)).sum(1)) + h.max(1)
final = np.mean(lse - h[np.arange(len(y)), y])
print(f"numpy Adam: median {statistics.median(times):.4f} s/epoch, mean {statistics.mean(times):.4f}, final train loss {final:.3e}")
