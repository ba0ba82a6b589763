#!/usr/bin/env python3
"""Fixture for str.upper, str.isdigit, re's \\d, int() and float() of str and of json.loads values, from Python itself
(json.loads: make-json-loads-fixture.py).

    /usr/bin/python3 scripts/make-pycompat-fixture.py [--seed N] [--out FILE]
"""
import argparse
import json
import os
import random
import re
import unicodedata

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "pycompat.json")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=OUT)
    a = p.parse_args()
    rng = random.Random(a.seed)
    cps = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    cased = [c for c in cps if chr(c).upper() != chr(c)]
    digits = [c for c in cps if chr(c).isdigit()]
    decimals = [c for c in cps if re.match(r"\d", chr(c))]
    upper_cases = ["", "abc", "straße", "ŉ", "ǰ", "ﬃ", "ı", "i̇", "ſ", "ǅ", "µ", "ÿ", "Ωω", "ᾳ", "ΐ", "mixed Ünïcödé 123"]
    for _ in range(300):
        upper_cases.append("".join(chr(rng.choice(cased if rng.random() < 0.7 else cps)) for _ in range(rng.randint(1, 6))))
    upper_cases += [chr(c) for c in cased]  # every cased code point once
    isdigit_cases = [chr(c) for c in digits] + [chr(rng.choice(cps)) for _ in range(2000)] + ["²", "①", "٣", "x", "½", "Ⅻ"]
    decimal_cases = [chr(c) for c in decimals] + [chr(rng.choice(cps)) for _ in range(2000)]
    int_cases = ["0", "-0", "+7", "007", "1_000", "_1", "1_", "1__0", " 12 ", "\u300012\u3000", "١٢", "１２", "12.5", "1e3", "",
                 " ", "-", "+", "--1", "+-1", "99999999999999999999999999", "-123456789012345678901234567890", "٣_٤", "１_２",
                 "\U0001d7ce\U0001d7d9", "²", "①", "0x10", "1 2", "12\n", "\t-5\t", "\x1c3\x1f"]
    for _ in range(200):
        s = "".join(rng.choice(["1", "2", "0", "9", "_", "-", "+", " ", "٣", "１", "x", "."]) for _ in range(rng.randint(0, 6)))
        int_cases.append(s)

    def py_int(s):
        try:
            return str(int(s))
        except ValueError:
            return None

    float_cases = ["0", "1.5", "-1.5", "+.5", "5.", ".", "1e3", "1E-3", "1e", "e3", "1_000.5", "1__0", "_1", "1_", "1._5", "1.5_",
                   "nan", "NaN", "-nan", "inf", "-Infinity", "+INF", "infinit", " 12 ", "\u300012.5\u3000", "\x1c1", "١٢.٥",
                   "１２", "", " ", "1.5.5", "0x10", "1,5", "3.14159265358979323846264338327950288", "1e400", "-1e-400",
                   "00012", "12abc", "²", "4.0", "-0", "-0.0",
                   # judge verdicts (LongWriter, LongCite): Unicode digits, odd whitespace, near-numbers
                   "4", " 4 ", "4.5", "1_000", "1_.5", ".5", "e5", "+3", "-3", "nAn", "+inf", "\u0664", "\uff14",
                   "\u0664.\u0665", "4/5", "four", "   ", "\u30004\u3000", "1e1_0", "1e+", "--1", "0004", "1.5e-3",
                   "\n4\n", "4\x00", "\U0001d7d0", "1 2", "\u0663\u066b\u0665"]
    for _ in range(200):
        float_cases.append("".join(rng.choice(["1", "2", "0", "9", "_", "-", "+", ".", "e", "E", " ", "٣", "n", "a", "i"]) for _ in range(rng.randint(0, 7))))

    def py_float(s):
        try:
            return repr(float(s))
        except ValueError:
            return None

    # int(x) / float(x) of json.loads values (judge fields, prediction-file numbers)
    value_cases = ["true", "false", "0", "5", "-5", "5.7", "-5.7", "-0.0", "1e300", "1e400", "-1e400", "NaN", "12345678901234567890",
                   '"12"', '" \\u0661\\u0662 "', '"1.5"', '"1_0"', '"x"', '""', "null", "[1]", '{"a": 1}', "1" + "0" * 400]

    def call(f, t):
        try:
            return [repr(f(json.loads(t))), None]
        except Exception as e:
            return [None, type(e).__name__]

    out = {
        "seed": a.seed,
        "upper": [[s, s.upper()] for s in upper_cases],
        "isdigit": [[s, s.isdigit()] for s in isdigit_cases],
        "decimal": [[s, bool(re.match(r"\d", s)), unicodedata.decimal(s, -1)] for s in decimal_cases],
        "int": [[s, py_int(s)] for s in int_cases],
        "float": [[s, py_float(s)] for s in float_cases],
        "int_of": [[t] + call(int, t) for t in value_cases],
        "float_of": [[t] + call(float, t) for t in value_cases],
    }
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=True, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
