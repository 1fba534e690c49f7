"""Reference values for lib/stats/agreement.ts (run: /usr/bin/python3 lib/stats/testdata/agreement-reference.py).

Writes agreement-reference.json beside this file, from scikit-learn's cohen_kappa_score (1.2 when written)
and SciPy's spearmanr. The labels are literal lists.
"""
import json
import os

from scipy import stats
from sklearn.metrics import cohen_kappa_score

PASS_FAIL = {
    # a person and a judge on 30 outputs: agree on most
    "judge-agrees": (
        [1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1],
        [1, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1],
    ),
    # a lenient judge: passes almost everything
    "lenient-judge": (
        [1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1],
        [1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    ),
}
SCALE = {
    "scale-1-5": (
        [5, 4, 4, 3, 2, 5, 1, 3, 4, 2, 5, 3, 4, 4, 1, 2, 3, 5, 4, 3, 2, 4, 5, 3, 1, 4, 3, 2, 5, 4, 3, 4],
        [5, 4, 3, 3, 2, 4, 1, 4, 4, 3, 5, 3, 5, 4, 2, 2, 3, 4, 4, 2, 2, 4, 5, 3, 2, 3, 3, 1, 5, 5, 3, 4],
    ),
}

out = {"passFail": {}, "scale": {}}
for name, (a, b) in PASS_FAIL.items():
    out["passFail"][name] = {"a": a, "b": b, "kappa": cohen_kappa_score(a, b)}
for name, (a, b) in SCALE.items():
    labels = [1, 2, 3, 4, 5]
    rho = stats.spearmanr(a, b)
    out["scale"][name] = {
        "a": a,
        "b": b,
        "kappa": cohen_kappa_score(a, b, labels=labels),
        "linear": cohen_kappa_score(a, b, labels=labels, weights="linear"),
        "quadratic": cohen_kappa_score(a, b, labels=labels, weights="quadratic"),
        "spearman": float(rho.correlation),
        "spearmanP": float(rho.pvalue),
    }

with open(os.path.join(os.path.dirname(__file__), "agreement-reference.json"), "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
