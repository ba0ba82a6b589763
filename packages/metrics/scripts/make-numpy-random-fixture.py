#!/usr/bin/env python3
"""Expected draws of numpy's legacy global random state for test/fixtures/numpy_random.json.

    /usr/bin/python3 scripts/make-numpy-random-fixture.py [--seed 1]

For several seeds: np.random.seed(s), then a seeded-random script of calls to random_sample,
uniform, randint and choice (the calls official generators make), recording every result.
"""
import argparse
import json
import os
import random

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "test", "fixtures", "numpy_random.json"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    runs = []
    seeds = [0, 1, 42, 43, 443, 2**32 - 1, 12345] + [rng.randrange(2**32) for _ in range(5)]
    for seed in seeds:
        np.random.seed(seed)
        calls = []
        for _ in range(120):
            kind = rng.choice(["random_sample", "uniform", "randint", "choice"])
            if kind == "random_sample":
                calls.append({"call": kind, "value": repr(float(np.random.random_sample()))})
            elif kind == "uniform":
                lo, hi = rng.choice([(0, 1), (0, 0.6), (0.2, 0.9), (-5, 5), (0, 0)])
                calls.append({"call": kind, "args": [lo, hi], "value": repr(float(np.random.uniform(lo, hi)))})
            elif kind == "randint":
                lo = rng.choice([0, 0, 3, -7])
                hi = lo + rng.choice([1, 2, 3, 7, 10, 17, 100, 1000, 65537, 2**31, 2**32])
                calls.append({"call": kind, "args": [lo, hi], "value": int(np.random.randint(lo, hi))})
            else:
                seq = ["Yuki", "Stuart", "Katie", "Veronica", "Gary", "Megan", "Calvin", "Mandy", "Diego", "Caleb"][: rng.randint(1, 10)]
                calls.append({"call": kind, "args": seq, "value": str(np.random.choice(seq))})
        runs.append({"seed": seed, "calls": calls})
    with open(args.out, "w") as f:
        json.dump({"numpy": np.__version__, "runs": runs}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
