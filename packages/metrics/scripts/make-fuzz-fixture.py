#!/usr/bin/python3
"""Parity fixture for the fuzzywuzzy / difflib port (src/fuzz.ts).

    /usr/bin/python3 scripts/make-fuzz-fixture.py --seed 13 --out test/fixtures/fuzz.json

Uses Debian 12's python3-fuzzywuzzy 0.18.0 on its pure-Python path (python-Levenshtein hidden, as
in LongBench's environment, whose requirements.txt installs fuzzywuzzy alone) and Python 3.11's
difflib. Writes only inputs and the numbers the library returns.
"""
import argparse
import difflib
import json
import random
import sys
import warnings

sys.modules["Levenshtein"] = None  # make `from .StringMatcher import ...` fail, as without python-Levenshtein
warnings.simplefilter("ignore")
from fuzzywuzzy import fuzz  # noqa: E402

assert fuzz.SequenceMatcher is difflib.SequenceMatcher, "fuzzywuzzy must take the difflib path"

# Published examples (fuzzywuzzy README) and edge cases of the decorators.
FIXED = [
    ("this is a test", "this is a test!"),
    ("fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear"),
    ("new york mets", "new york mets"),
    ("new york mets", "new YORK mets"),
    ("", ""),
    ("a", ""),
    ("", "a"),
    ("abc", "abc "),
    ("    return x", "return x"),
    ("        self.assertEqual(a, b)", "        self.assertEqual(a, c)"),
    ("😀x😀", "😀y😀"),
    ("𠀀𠀁", "𠀁𠀀"),
    ("中文代码", "中文代碼"),
]

CODE = [
    "def f(x):", "    return x + 1", "for i in range(10):", "        self.assertEqual(a, b)", "public static void main(String[] args) {",
    "    }", "}", "import numpy as np", "x = np.zeros((3, 4))", "if (a == null) return;", "System.out.println(\"hi\");",
    "    private final int count = 0;", "return self._cache.get(key, None)", "#include <stdio.h>", "// comment",
    "```python", "        raise ValueError(\"bad\")", "    var list = new List<int>();", "elif x is None:", "    pass",
]
ALPHABETS = ["ab", "abc", "abcdefghij", " etaoinshrdlu", "01", "{}()[];, \t", "中文字符", "😀😁a", "xyz\u00e9\u0301"]


def rand_text(rng):
    r = rng.random()
    if r < 0.35:
        return rng.choice(CODE)
    if r < 0.55:
        alpha = rng.choice(ALPHABETS)
        return "".join(rng.choice(alpha) for _ in range(rng.randint(0, 40)))
    if r < 0.75:
        # long strings around the autojunk threshold (len(b) >= 200) with skewed letters
        n = rng.choice([150, 198, 199, 200, 201, 250, 400, 1000])
        alpha = rng.choice(["aab", "aaaaabcdefg", " eeetaoin", "abcdefghijklmnopqrstuvwxyz0123456789", "中中中文字"])
        return "".join(rng.choice(alpha) for _ in range(n))
    words = [rng.choice(CODE) for _ in range(rng.randint(1, 6))]
    return " ".join(words)


def mutate(rng, s):
    cps = list(s)
    for _ in range(rng.randint(0, 6)):
        op = rng.random()
        if op < 0.4 and cps:
            del cps[rng.randrange(len(cps))]
        elif op < 0.7:
            cps.insert(rng.randint(0, len(cps)), rng.choice("ab xy;中😀"))
        elif cps:
            cps[rng.randrange(len(cps))] = rng.choice("ABZ_0中")
    return "".join(cps)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--count", type=int, default=600)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    pairs = list(FIXED)
    while len(pairs) < args.count:
        a = rand_text(rng)
        b = mutate(rng, a) if rng.random() < 0.6 else rand_text(rng)
        if rng.random() < 0.5:
            a, b = b, a
        pairs.append((a, b))
    cases = []
    for a, b in pairs:
        m = difflib.SequenceMatcher(None, a, b)
        cases.append({
            "s1": a,
            "s2": b,
            "blocks": [list(x) for x in m.get_matching_blocks()],
            "ratio": m.ratio(),
            "popular": len(m.bpopular),
            "fuzz": fuzz.ratio(a, b),
        })
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"python": sys.version.split()[0], "fuzzywuzzy": "0.18.0 (difflib path)", "seed": args.seed, "cases": cases},
                  f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
