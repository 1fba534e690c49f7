#!/usr/bin/env python3
"""CUPED reference table for lib/stats/cuped.ts, computed independently with the Python standard library only.

Run: python3 lib/stats/testdata/cuped-reference.py > lib/stats/testdata/cuped-reference.json
The unit test lib/stats/cuped-reference.test.ts checks lib's CUPED against the table to 1e-9.

Formulas (Deng, Xu, Kohavi & Walker, WSDM 2013, with lib's stated choices):
- x̄ = mean of x over the subjects with history (every arm);
- θ = Σ_arms Σ_H (x − x̄_H,arm)(y − ȳ_H,arm) / Σ_arms Σ_H (x − x̄_H,arm)²: the pooled within-arm regression
  slope over the subjects with history only (H), centred on their own means in each arm;
- y' = y − θ(x − x̄) for a subject with history, y' = y for one without; adjusted mean and sample variance
  (n − 1) of y' per arm, every subject included;
- variance reduction = 100 · (1 − Σ s'²/n / Σ s²/n) over control and treatment;
- fixed: Welch's t on y' (Welch–Satterthwaite df), CI = diff ± t(1 − α/2, df) · se, p = 2 · T_df(−|t|);
  relative lift (μT − μC)/μC, its CI expm1(ln(μT/μC) ± q·√(σT²/(nT·μT²) + σC²/(nC·μC²))) with the same t;
- sequential: Waudby-Smith et al. (arXiv 2103.06476, eq. 9) as GrowthBook computes it,
  halfwidth = √(V·N) · √(2(Nρ²+1)/(N²ρ²) · ln(√(Nρ²+1)/α)), ρ² = (−2 ln α + ln(−2 ln α + 1))/N*,
  p = min(1, √(Nρ²+1) · exp(−z²Nρ²/(2(Nρ²+1)))), z² = estimate²/V, N = subjects in both arms; the p-value
  is the lift's, on ln(μT/μC) (the difference's when a mean is ≤ 0).
The t distribution is the regularized incomplete beta function (continued fraction, modified Lentz) and
its quantile is found by bisection to the last bit: no SciPy needed.
"""

import json
import math
import statistics
import sys


def betacf(a, b, x):
    """Continued fraction of the incomplete beta function (modified Lentz), to machine precision."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            return h
    raise ArithmeticError("betacf did not converge")


def betainc(a, b, x):
    """Regularized incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * betacf(a, b, x) / a
    return 1.0 - front * betacf(b, a, 1.0 - x) / b


def t_cdf(t, df):
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return tail if t < 0 else 1.0 - tail


def t_quantile(p, df):
    """Upper quantile (p > 0.5) by bisection on the CDF until the bracket stops shrinking."""
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        hi *= 2.0
    while True:
        mid = (lo + hi) / 2.0
        if mid in (lo, hi):
            return mid
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid


def cs(estimate, variance, n, alpha, planned_total):
    l = -2.0 * math.log(alpha)
    rho2 = (l + math.log(l + 1.0)) / planned_total
    a = n * rho2 + 1.0
    half = math.sqrt(variance * n) * math.sqrt((2.0 * a) / (n * n * rho2) * math.log(math.sqrt(a) / alpha))
    z2 = estimate * estimate / variance
    p = min(1.0, math.sqrt(a) * math.exp(-z2 * n * rho2 / (2.0 * a)))
    return [estimate - half, estimate + half], p


def reference(arms, method, alpha, planned_total):
    known = [x for arm in arms for (x, _) in arm if x is not None]
    x_bar = statistics.fmean(known)
    history = [[(x, y) for (x, y) in arm if x is not None] for arm in arms]
    # Σ_H (x − x̄_H,arm)(y − ȳ_H,arm) = (n_H − 1)·cov, Σ_H (x − x̄_H,arm)² = (n_H − 1)·var, per arm; an arm
    # with fewer than 2 subjects with history adds nothing.
    sxy = sum((len(h) - 1) * statistics.covariance([x for x, _ in h], [y for _, y in h]) for h in history if len(h) > 1)
    sxx = sum((len(h) - 1) * statistics.variance([x for x, _ in h]) for h in history if len(h) > 1)
    theta = sxy / sxx
    adjusted = [[y if x is None else y - theta * (x - x_bar) for (x, y) in arm] for arm in arms]
    out_arms = [
        {
            "n": len(raw),
            "withHistory": sum(1 for (x, _) in raw if x is not None),
            "mean": statistics.fmean([y for _, y in raw]),
            "variance": statistics.variance([y for _, y in raw]),
            "adjustedMean": statistics.fmean(adj),
            "adjustedVariance": statistics.variance(adj),
        }
        for raw, adj in zip(arms, adjusted)
    ]
    c = out_arms[0]
    comparisons = []
    for t in out_arms[1:]:
        mc, mt, vc, vt, nc, nt = c["adjustedMean"], t["adjustedMean"], c["adjustedVariance"], t["adjustedVariance"], c["n"], t["n"]
        va, vb = vc / nc, vt / nt
        diff = mt - mc
        se = math.sqrt(va + vb)
        raw_var = c["variance"] / nc + t["variance"] / nt
        # The lift's interval is read on ln(mt/mc) (delta method: vt/(nt·mt²) + vc/(nc·mc²)) and mapped back
        # by e^x − 1, so it never falls below −100%; undefined unless both means are > 0.
        lift = (mt - mc) / mc if mc > 0 and mt > 0 else None
        log_lift = math.log(mt / mc) if lift is not None else None
        log_var = vt / (nt * mt * mt) + vc / (nc * mc * mc) if lift is not None else None
        row = {"difference": diff, "varianceReduction": 100.0 * (1.0 - (va + vb) / raw_var), "lift": lift}
        if method == "fixed":
            df = (va + vb) ** 2 / (va * va / (nc - 1) + vb * vb / (nt - 1))
            q = t_quantile(1.0 - alpha / 2.0, df)
            stat = diff / se
            row.update(
                {
                    "df": df,
                    "statistic": stat,
                    "differenceCi": [diff - q * se, diff + q * se],
                    "pValue": min(1.0, 2.0 * t_cdf(-abs(stat), df)),
                    "ci": None
                    if lift is None
                    else [math.expm1(log_lift - q * math.sqrt(log_var)), math.expm1(log_lift + q * math.sqrt(log_var))],
                }
            )
        else:
            n = nc + nt
            d_ci, d_p = cs(diff, va + vb, n, alpha, planned_total)
            row["differenceCi"] = d_ci
            if lift is None:
                row.update({"ci": None, "pValue": d_p})
            else:
                l_ci, l_p = cs(log_lift, log_var, n, alpha, planned_total)
                row.update({"ci": [math.expm1(l_ci[0]), math.expm1(l_ci[1])], "pValue": l_p})
        comparisons.append(row)
    return {"theta": theta, "covariateMean": x_bar, "arms": out_arms, "comparisons": comparisons}


def pairs(xs, ys):
    return [[x, y] for x, y in zip(xs, ys)]


DATASETS = [
    {
        "name": "strong covariate, unequal arms",
        "arms": [
            pairs([1, 2, 3, 4, 5], [2.1, 3.9, 6.2, 8.1, 9.7]),
            pairs([1, 2, 3, 4, 5, 6], [3, 4.2, 7.1, 8.8, 11.2, 12.9]),
        ],
    },
    {
        "name": "missing history in both arms",
        "arms": [
            pairs([4, None, 7, 2, 9, None], [5, 6, 8, 1, 11, 3]),
            pairs([3, 8, None, 5, 6], [4, 10, 7, 7, 9]),
        ],
    },
    {
        # The arms' subjects with history have means (2.75, 6.6) far from x̄ = 4.89, so imputing x̄ for the
        # others would move θ; here they keep y' = y and do not.
        "name": "missing history, arms' history means apart",
        "arms": [
            pairs([1, 3, None, 4, 3, None, None], [2.5, 4.1, 9.0, 5.2, 3.8, 1.0, 6.5]),
            pairs([5, 8, None, 6, 9, 5, None], [7.9, 11.0, 2.0, 9.1, 12.2, 7.0, 14.0]),
        ],
    },
    {
        "name": "an arm where nobody has history",
        "arms": [
            pairs([None, None, None, None, None], [3.0, 5.5, 4.2, 6.1, 2.9]),
            pairs([2, 4, 6, 8, None, 3], [3.1, 5.2, 6.8, 9.4, 4.0, 3.9]),
        ],
    },
    {
        "name": "binary outcomes, share of past successes as covariate",
        "arms": [
            pairs([0, 0.5, 1, 1, 0, 0.25], [0, 1, 1, 1, 0, 0]),
            pairs([0.5, 1, 0, 1, 0.75, 0], [1, 1, 0, 1, 1, 1]),
        ],
    },
    {
        "name": "negatively correlated covariate",
        "arms": [pairs([10, 8, 6, 4, 2], [1, 3, 4, 7, 9]), pairs([9, 7, 5, 3, 1], [2, 5, 5, 8, 11])],
    },
    {
        "name": "three arms, latency-like values",
        "arms": [
            pairs([820, 1010, 640, None, 930, 700, 1200], [850, 990, 700, 760, 1010, 690, 1150]),
            pairs([780, 1100, 600, 900, None, 720], [700, 1000, 560, 870, 800, 610]),
            pairs([850, 990, None, 610, 1050, 760, 880, 940], [880, 1020, 900, 640, 1100, 790, 870, 1000]),
        ],
    },
    {
        "name": "covariate unrelated to the outcome",
        "arms": [pairs([3, 1, 4, 1, 5, 9, 2], [6, 5, 3, 5, 8, 9, 7]), pairs([2, 7, 1, 8, 2, 8], [9, 3, 2, 3, 8, 4])],
    },
]

SETTINGS = [
    {"method": "fixed", "alpha": 0.05, "plannedTotal": None},
    {"method": "fixed", "alpha": 0.1, "plannedTotal": None},
    {"method": "sequential", "alpha": 0.05, "plannedTotal": 100},
]


def main():
    cases = []
    for d in DATASETS:
        for s in SETTINGS:
            cases.append(
                {
                    "name": d["name"],
                    "options": {k: v for k, v in s.items() if v is not None},
                    "arms": d["arms"],
                    "expected": reference(d["arms"], s["method"], s["alpha"], s["plannedTotal"]),
                }
            )
    json.dump(
        {
            "generatedBy": "lib/stats/testdata/cuped-reference.py (Python %d.%d, standard library only)"
            % sys.version_info[:2],
            "cases": cases,
        },
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
