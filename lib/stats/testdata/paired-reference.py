"""Reference values for lib/stats/paired.ts, from SciPy (run: python3 lib/stats/testdata/paired-reference.py).

Writes paired-reference.json beside this file. The samples are literal lists so the table does not depend
on any random generator; the values come from scipy.stats (1.17 when written).
"""
import json
import math
import os
from math import comb

from scipy import stats

CASES = {
    # continuous differences, no ties: exact Wilcoxon
    "small-continuous": [0.8, -0.3, 1.9, 0.4, 1.1, -0.6, 0.7, 2.2, 0.05, 1.35],
    # scores on a 0..1 scale, mostly positive, one zero
    "with-zero": [0.1, 0.2, 0.0, 0.15, -0.05, 0.3, 0.25, 0.12, -0.02, 0.18, 0.22, 0.07],
    # pass/fail scorers: differences in {-1, 0, 1}, many ties and zeros
    "binary": [1, 0, 0, 1, 1, 0, -1, 1, 0, 1, 0, 1, 1, 0, 0, -1, 1, 1, 0, 1, 0, 0, 1, 1, 0, -1, 1, 0, 1, 1],
    # no real difference
    "null": [0.3, -0.4, 0.1, -0.2, 0.5, -0.1, -0.35, 0.25, 0.05, -0.15, 0.2, -0.3],
    # more than 50 pairs without ties: normal approximation
    "large": [round(math.sin(i * 1.7) * 0.5 + 0.08 + (i % 7) * 0.001, 6) for i in range(60)],
}


def paired(d, alpha=0.05):
    n = len(d)
    t = stats.ttest_1samp(d, 0.0)
    mean = sum(d) / n
    sem = stats.sem(d)
    lo, hi = stats.t.interval(1 - alpha, n - 1, loc=mean, scale=sem)
    nz = [x for x in d if x != 0]
    ties = len(set(abs(x) for x in nz)) != len(nz)
    exact = len(nz) <= 50 and len(nz) == len(d) and not ties
    w = stats.wilcoxon(d, zero_method="wilcox", correction=not exact, method="exact" if exact else "approx")
    return {
        "n": n,
        "meanDiff": mean,
        "ci": [lo, hi],
        "tPValue": float(t.pvalue),
        "wilcoxonPValue": float(w.pvalue),
        "wilcoxonMethod": "exact" if exact else "approx",
    }


def pass_at_k(n, c, k):
    return 1.0 if n - c < k else 1.0 - comb(n - c, k) / comb(n, k)


out = {
    "paired": {name: {"diffs": d, **paired(d)} for name, d in CASES.items()},
    "meanInterval": {
        name: {
            "values": v,
            "mean": sum(v) / len(v),
            "ci": list(stats.t.interval(0.9, len(v) - 1, loc=sum(v) / len(v), scale=stats.sem(v))),
            "alpha": 0.1,
        }
        for name, v in {"scores": [0.72, 0.81, 0.65, 0.9, 0.77, 0.84, 0.69, 0.93], "two": [0.2, 0.6]}.items()
    },
    "passAtK": [
        {"n": n, "c": c, "k": k, "passAtK": pass_at_k(n, c, k), "passHatK": comb(c, k) / comb(n, k)}
        for (n, c, k) in [(5, 0, 1), (5, 2, 1), (5, 2, 3), (5, 4, 5), (10, 3, 4), (10, 10, 10), (20, 7, 5), (3, 1, 3)]
    ],
}

with open(os.path.join(os.path.dirname(__file__), "paired-reference.json"), "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
