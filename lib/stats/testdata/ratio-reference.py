"""Reference values for lib/stats/ratio.ts (run: python3 lib/stats/testdata/ratio-reference.py).

Writes ratio-reference.json beside this file. The delta-method variance is computed the textbook way, as
gᵀΣg/n with g = (1/ȳ, −x̄/ȳ²) the gradient of x̄/ȳ and Σ = numpy.cov of the per-subject (x, y) sums, and
checked against a bootstrap over subjects (20,000 resamples, seeded) whose standard error is stored too.
Samples are generated here once with a fixed seed and written as literal lists.
"""
import json
import os

import numpy as np
from scipy import stats

rng = np.random.default_rng(20261125)


def arm(n, tasks_mean, cost_per_task, noise):
    # Per subject: tasks completed (the denominator) and total cost (the numerator), correlated through usage.
    usage = rng.gamma(2.0, 1.0, n)
    y = rng.poisson(tasks_mean * usage / 2.0).astype(float)
    x = np.round(y * cost_per_task + usage * noise * rng.random(n), 6)
    return [[float(a), float(b)] for a, b in zip(x, y)]


def delta(subjects):
    a = np.array(subjects)
    x, y = a[:, 0], a[:, 1]
    n = len(x)
    g = np.array([1 / y.mean(), -x.mean() / y.mean() ** 2])
    var = float(g @ np.cov(x, y, ddof=1) @ g / n)
    boot = []
    for _ in range(20000):
        i = rng.integers(0, n, n)
        boot.append(x[i].sum() / y[i].sum())
    return {"n": n, "ratio": float(x.sum() / y.sum()), "variance": var, "bootstrapSe": float(np.std(boot, ddof=1))}


def compare(c, t, alpha=0.05):
    diff = t["ratio"] - c["ratio"]
    v = c["variance"] + t["variance"]
    z = diff / np.sqrt(v)
    q = stats.norm.ppf(1 - alpha / 2)
    lift = diff / c["ratio"]
    # The lift's interval on ln(R_t/R_c), delta method with independent arms: Var = V_t/R_t² + V_c/R_c².
    lv = t["variance"] / t["ratio"] ** 2 + c["variance"] / c["ratio"] ** 2
    log_lift = np.log(t["ratio"] / c["ratio"])
    return {
        "difference": diff,
        "differenceCi": [diff - q * np.sqrt(v), diff + q * np.sqrt(v)],
        "z": z,
        "pValue": float(2 * stats.norm.sf(abs(z))),
        "lift": lift,
        "liftCi": [float(np.expm1(log_lift - q * np.sqrt(lv))), float(np.expm1(log_lift + q * np.sqrt(lv)))],
    }


cases = {}
for name, (nc, nt, params_c, params_t) in {
    "cost-per-task-worse": (200, 220, (3.0, 0.010, 0.03), (3.0, 0.0115, 0.03)),
    "cost-per-task-same": (150, 160, (2.5, 0.010, 0.02), (2.5, 0.010, 0.02)),
    "tokens-per-thumbs-up": (80, 90, (1.5, 420.0, 300.0), (1.8, 380.0, 300.0)),
}.items():
    c, t = arm(nc, *params_c), arm(nt, *params_t)
    dc, dt = delta(c), delta(t)
    cases[name] = {"control": c, "treatment": t, "armControl": dc, "armTreatment": dt, "compare": compare(dc, dt)}

with open(os.path.join(os.path.dirname(__file__), "ratio-reference.json"), "w") as f:
    json.dump(cases, f, default=float)
print({k: (v["armControl"]["ratio"], v["compare"]["pValue"]) for k, v in cases.items()})
