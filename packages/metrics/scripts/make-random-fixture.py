#!/usr/bin/env python3
"""Expected draws of CPython's random.Random (and numpy's legacy np.random) for test/python-random.test.ts.

    /usr/bin/python3 scripts/make-random-fixture.py > test/fixtures/py-random.json
"""
import json
import random
import sys

import numpy as np

seeds = [0, 1, 42, 12345, 2**32, 2**40 + 7, -5, 2**100 + 3, "hello", "LongHealth"]
out = []
for s in seeds:
    r = random.Random(s)
    case = {"seed": s if isinstance(s, str) else str(s), "kind": "str" if isinstance(s, str) else "int"}
    case["random"] = [repr(r.random()) for _ in range(5)]
    case["getrandbits"] = [[k, str(r.getrandbits(k))] for k in [1, 7, 31, 32, 33, 64, 100]]
    case["randrange"] = [r.randrange(n) for n in [1, 2, 3, 10, 1000, 2**31 + 5]]
    case["randint"] = [r.randint(-3, 17) for _ in range(5)]
    x = list(range(20)); r.shuffle(x); case["shuffle20"] = x
    case["sample_pool"] = r.sample(range(30), 25)
    case["sample_set"] = r.sample(range(1000), 60)
    case["sample_small"] = r.sample(range(200), 10)
    case["sample_all"] = r.sample(range(7), 7)
    case["choice"] = [r.choice("abcdefg") for _ in range(6)]
    case["choices"] = r.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ", k=12)
    case["after"] = repr(r.random())
    out.append(case)
numpy_cases = []
for s in [0, 1, 42, 7, 2**32 - 1, 123456789]:
    np.random.seed(s)
    bounds = [(10000, 99999)] * 6 + [(0, 2), (5, 6), (-7, 1000000), (0, 2**31 + 3), (0, 2**32), (3, 17)]
    numpy_cases.append({"seed": s, "randint": [[lo, hi, int(np.random.randint(lo, hi))] for lo, hi in bounds]})
json.dump({"python": sys.version.split()[0], "numpy": np.__version__, "cases": out, "numpy_cases": numpy_cases}, sys.stdout)
