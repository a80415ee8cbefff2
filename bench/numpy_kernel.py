#!/usr/bin/python3
"""numpy reference of the bench kernel: K-component isotropic GMM score of P_t q (log-sum-exp
responsibilities) + Euler-Maruyama step of the reverse VP-OU SDE, vectorised over all particles.

    y <- (1 + h/2) y + h s(y, t) + sqrt(h) z,   s(y,t) = sum_k r_k(y) (a_t m_k - y) / v_k(t)
    a_t = exp(-t/2), v_k(t) = a_t^2 v_k + (1 - exp(-t))

Written the way a numpy user would: the quadratic forms by one matrix product
(|y|^2 - 2 y.mu_k + |mu_k|^2), the score as -(sum_k r_k p_k) y + (r p) @ mu. Start N(0, I),
noise numpy's default Generator (PCG64 + ziggurat normals). Usage:

    /usr/bin/python3 bench/numpy_kernel.py PARAMS OUT REPEATS

PARAMS: text file "d K N steps seed", then K weights, K lines "mean_1..mean_d variance", then
steps+1 times (decreasing). Writes the last repeat's particles (float64, row-major N*d) to OUT and
prints one JSON line {"seconds": [...], "cpuSeconds": [...]} (kernel time only: the step loop incl.
noise; CPU time is the process's, all threads).
"""
import json
import sys
import time

try:
    import numpy as np
except ImportError:  # the bench skips numpy with a message
    print(json.dumps({"skipped": "numpy is not importable by " + sys.executable}))
    sys.exit(0)


def read_params(path):
    tok = open(path).read().split()
    d, K, N, steps, seed = (int(v) for v in tok[:5])
    pos = 5
    w = np.array(tok[pos:pos + K], dtype=float); pos += K
    means = np.empty((K, d)); var = np.empty(K)
    for k in range(K):
        means[k] = np.array(tok[pos:pos + d], dtype=float); pos += d
        var[k] = float(tok[pos]); pos += 1
    times = np.array(tok[pos:pos + steps + 1], dtype=float)
    return d, K, N, steps, seed, w, means, var, times


def run(d, K, N, steps, rng, w, means, var, times):
    x = rng.standard_normal((N, d))
    logw = np.log(w)
    for k in range(steps):
        t = times[k]
        h = t - times[k + 1]
        a = np.exp(-0.5 * t)
        v = a * a * var - np.expm1(-t)
        p = 1.0 / v
        mu = a * means                      # (K, d)
        lc = logw - 0.5 * d * np.log(v)     # (K,)
        mu2 = np.einsum('kd,kd->k', mu, mu)
        x2 = np.einsum('nd,nd->n', x, x)
        q = x2[:, None] - 2.0 * (x @ mu.T) + mu2[None, :]   # (N, K)
        logits = lc[None, :] - 0.5 * p[None, :] * q
        logits -= logits.max(axis=1, keepdims=True)
        r = np.exp(logits)
        r /= r.sum(axis=1, keepdims=True)
        rp = r * p[None, :]                 # (N, K)
        score = (rp @ mu) - rp.sum(axis=1, keepdims=True) * x
        x = (1.0 + 0.5 * h) * x + h * score + np.sqrt(h) * rng.standard_normal((N, d))
    return x


def main():
    params, out, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    d, K, N, steps, seed, w, means, var, times = read_params(params)
    seconds = []
    cpu = []
    x = None
    for r in range(repeats):
        rng = np.random.default_rng([seed, r])
        t0 = time.perf_counter()
        c0 = time.process_time()
        x = run(d, K, N, steps, rng, w, means, var, times)
        seconds.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    np.ascontiguousarray(x, dtype='<f8').tofile(out)
    print(json.dumps({"seconds": seconds, "cpuSeconds": cpu, "numpy": np.__version__}))


if __name__ == '__main__':
    main()
