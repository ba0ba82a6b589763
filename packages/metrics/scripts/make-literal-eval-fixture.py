#!/usr/bin/env python3
"""Expected values of Python's ast.literal_eval for test/fixtures/literal_eval.json.

    /usr/bin/python3 scripts/make-literal-eval-fixture.py [--seed 1] [--out test/fixtures/literal_eval.json]

Runs the interpreter's own ast.literal_eval (Debian 12: Python 3.11.2) on hand-written inputs (every
literal form, escapes, numbers, containers, non-literal expressions, syntax errors, indentation,
model-like answers) and on seeded random ones. A different --seed gives an unseen set.
Each case records either the value, in a canonical JSON form, or the class of the exception.
"""
import argparse
import ast
import json
import os
import random
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))


def canon(v):
    """A JSON form of a literal value that keeps its Python type."""
    if isinstance(v, bool):
        return {"bool": v}
    if v is None:
        return {"none": None}
    if v is Ellipsis:
        return {"ellipsis": None}
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, complex):
        return {"complex": [repr(v.real), repr(v.imag)]}
    if isinstance(v, str):
        return {"str": [ord(c) for c in v]}
    if isinstance(v, bytes):
        return {"bytes": list(v)}
    if isinstance(v, tuple):
        return {"tuple": [canon(x) for x in v]}
    if isinstance(v, list):
        return {"list": [canon(x) for x in v]}
    if isinstance(v, set):
        return {"set": sorted(json.dumps(canon(x), sort_keys=True) for x in v)}
    if isinstance(v, dict):
        return {"dict": [[canon(k), canon(x)] for k, x in v.items()]}
    raise TypeError(type(v))


HAND = [
    # strings
    "'a'", '"a"', "'it''s'", '"it\'s"', "'\"'", "'''a\nb'''", '"""x"""', "'a' 'b'", "'a' \"b\" '''c'''", "r'\\n'", "R'\\''",
    "u'x'", "U'x'", "b'x'", "B'x'", "rb'\\x'", "Rb'x'", "bR'x'", "br'\\n'", "ur'x'", "f'x'", "F'{x}'", "rf'{x}'", "f'{{}}'",
    "f'{'", "f'{}'", "f'{x!z}'", "f'{x!r}'", "f'{x:>{w}}'", "f'}'", "f'{x=}'", "f'{a[\"b\"]}'", "f'{\\'x\\'}'", "'a' f'b'",
    "'\\x41'", "'\\x4'", "'\\x4g'", "'\\u00e9'", "'\\u12'", "'\\U0001F600'", "'\\U00110000'", "'\\777'", "'\\0'", "'\\08'",
    "'\\q'", "'\\'", "'\\\\'", "'\\\n'", "'a\\\nb'", "'\\a\\b\\f\\n\\r\\t\\v'", "b'\\777'", "b'\\x4'", "b'\\u1234'", "b'\\N{X}'",
    "b'\u00e9'", "'\u00e9'", "'\u4e2d\u6587'", "'\U0001f600'", "'\\ud83d\\ude00'", "'\\ud800'", "'\u200b'", "'a\rb'",
    "'''a\r\nb'''", "'a'\r\n", "'a' b'c'", "b'a' 'c'", "'unterminated", "'''unterminated", "\"", "''", '""', "''''''",
    # numbers
    "0", "00", "0_0", "007", "0777", "1_000", "1__0", "1_", "0x1F", "0X1f", "0x", "0xg", "0x_1", "0o17", "0o8", "0O7", "0b101",
    "0b102", "0B1_1", "1.5", "1.", ".5", "1e3", "1E-3", "1e", "1e+", "1.5e3", "1_000.000_1", "1e400", "-1e400", "1e-400",
    "1j", "1J", "1.5j", "-1j", "+1j", "1e309j", "0j", "-0j", "-0.0", "-0", "+0", "+0.0", "9" * 40, "-" + "9" * 40, "9" * 4301,
    "1else 2", "1if 1 else 2", "0x1for", "1and 2", "1or 2", "1not in 2", "1is 2", "1in[1]", "5e3a", "1_j", "0xffj", "1.j", ".e5",
    "1..2", "1.2.3", "٣", "1\u00a0",
    # signs and complex
    "1+2j", "1-2j", "-1+2j", "-1-2j", "1.5+0j", "1-0j", "0-0j", "+1+1j", "2j+1", "1+2", "1-2", "--1", "-+1", "+True", "-True",
    "-None", "-'a'", "True+1j", "1+True", "(1)+2j", "1+(2j)", "(-1)+2j", "-(1+2j)", "1 - -2j", "1 + -2j", "1+2j+3j",
    "(1+2j)", "[1+2j, -3-4j]", "1e400+1j", "-1e400-1j", "1" + "0" * 400 + "+1j", "~1", "not 1", "2**3", "2*3", "1/2",
    # constants and names
    "True", "False", "None", "...", "true", "none", "null", "nan", "inf", "NaN", "x", "_", "match", "case", "print",
    "\u00e9t\u00e9", "\uff46\uff4f\uff4f", "\u20ac", "$", "?", "!", "`", "a b",
    # containers
    "()", "(1,)", "(1)", "(1, 2)", "1, 2", "1,", "[]", "[1]", "[1,]", "[1, 2, 3]", "[,]", "[1,,2]", "[[1], [2, [3]]]",
    "{}", "{1}", "{1, 2, 1}", "{1, 1.0, True}", "{1: 2}", "{1: 2, 1.0: 3, True: 4}", "{'a': 1, 'a': 2}", "{(1, 2): 3}",
    "{(1, [2]): 3}", "{[1]: 2}", "{[1]}", "{[1], x}", "{x, [1]}", "[{[1]: 2}, x]", "[x, {[1]: 2}]", "{[1]: x}", "{x: [1]}",
    "{1:}", "{:1}", "{'a':1,}", "{1: 2, **a}", "{**a}", "{*a}", "[*a]", "[1, *a]", "(*a,)", "(*a)", "*a", "set()",
    "set([1])", "set(x=1)", "frozenset()", "dict()", "list()", "tuple()", "{1: {2: {3: [4, (5, {6})]}}}",
    "['a', 'b']", "[\"a\", 'b']", "('a', 'b')", "{'k': 'v'}", "[1, 'two', 3.0, None, True, (4,), [5], {6: 7}]",
    "[" * 199 + "]" * 199, "[" * 200 + "]" * 200, "[" * 201 + "]" * 201, "(" * 250 + ")" * 250, "[1, 2", "(]", ")", "]", "{]",
    # other expressions
    "x.y", "a[1]", "'abc'[0]", "'abc'[0:2]", "f(x)", "f(x, y=1)", "f(*a, **k)", "f(a=1, 2)", "f(**a, *b)", "f(**a, b)",
    "f(x for x in y)", "f(x for x in y, 1)", "f(1=2)", "f(a.b=1)", "(x for x in y)", "[x for x in y]", "{x for x in y}",
    "{k: v for k, v in y}", "[x for x in y if x]", "[x async for x in y]", "[x for 1 in y]", "[x for a.b in y]",
    "[x for (a, b) in y]", "[x for *a, b in y]", "lambda: 1", "lambda x: x", "lambda x, x: 1", "lambda *: 1", "lambda *a, b: 1",
    "lambda x=1, /, y=2, *z, w, **k: 0", "1 if 2 else 3", "1 if 2", "a and b", "a or b", "not a", "a < b < c", "a not in b",
    "a is not b", "a in b", "a is b", "a == b", "a != b", "a <> b", "a | b", "a ^ b", "a & b", "a << b", "a >> b", "a @ b",
    "a // b", "a % b", "a ** -b", "-a ** b", "await x", "(yield)", "(yield x)", "(yield from x)", "yield x", "x := 1",
    "(x := 1)", "(1 := 2)", "[y := 1]", "{a := 1}", "{a := 1: 2}", "a[1:2, ::3]", "a[]", "a[*b]", "x = 1", "x += 1",
    "del x", "pass", "import os", "print 'a'", "1 +", "+", "'a';", "'a' # c", "# c\n'a'", "#", "", " ", "\n", "\t",
    # lines, indentation, whitespace
    "\n'a'", "\n  'a'", "  'a'", "\t'a'", " \t 'a'", "'a'\n", "'a'\n\n", "'a'\n'b'", "'a'\n  'b'", "'a'\n  ", "'a'\n \n",
    "'a'\n\t", "\n \n'a'", "[1,\n  2]", "(1,\n2)", "{\n'a':\n1}", "\\\n'a'", "'a'\\\n", "'a' \\\n 'b'", "'a' \\ x", "\f'a'",
    "'a'\f", "\u00a0'a'", "'a'\u00a0", "\ufeff'a'", "\x00", "'a'\x00", "'a\x00'", "\r\n'a'", "'a'\r", "\v'a'",
    # model-like answers (Needle Threading values are UUIDs)
    "'f728b4fa-4248-5e3a-0a5d-2f346baa9455'", "f728b4fa-4248-5e3a-0a5d-2f346baa9455", "964a870c-7c87-9b74-1d87-8f9f9cdf5a86",
    "e3e70682-c209-4cac-629f-6fbed82c07cd", "\"1759edc3-72ae-2244-8b01-63c1cd9d2b7d\"", "['a1b2', 'c3d4']", "[a1b2, c3d4]",
    "The value is 'abc'", "'abc'.", "'abc' ", " 'abc'", "```'abc'```", "`abc`", "\"abc\"\n\nExplanation: it is", "'abc'\n",
    "['f728b4fa-4248-5e3a-0a5d-2f346baa9455', '964a870c-7c87-9b74-1d87-8f9f9cdf5a86']", "[\"x\", \"y\",]", "('x',)",
    "{'key': 'value'}", "\"value\" # comment", "'''multi\nline'''", "'a' 'b' 'c'", "'\\'quoted\\''", "\"'\"", "'\"'",
    "'e3e70682-c209-4cac-629f-6fbed82c07cd", "e3e70682-c209-4cac-629f-6fbed82c07cd'", "Corresponding value: 'x'",
]


def random_case(rng):
    atoms = ["'a'", '"b"', "1", "-2", "3.5", "1e3", "2j", "True", "None", "x", "...", "'\\x41'", "b'c'", "0x1f", "'\u00e9'",
             "''", "f'{x}'", "1_0", "07", "'\\u0041'", "r'\\d'"]
    seps = [", ", ",", " ,", "  "]

    def expr(d):
        r = rng.random()
        if d > 3 or r < 0.4:
            return rng.choice(atoms)
        if r < 0.55:
            return "[" + rng.choice(seps).join(expr(d + 1) for _ in range(rng.randint(0, 3))) + rng.choice(["", ","]) + "]"
        if r < 0.7:
            return "(" + rng.choice(seps).join(expr(d + 1) for _ in range(rng.randint(0, 3))) + rng.choice(["", ","]) + ")"
        if r < 0.8:
            return "{" + ", ".join(expr(d + 1) + ": " + expr(d + 1) for _ in range(rng.randint(0, 3))) + "}"
        if r < 0.88:
            return "{" + ", ".join(expr(d + 1) for _ in range(rng.randint(1, 3))) + "}"
        if r < 0.94:
            return rng.choice(["-", "+", "not ", "~"]) + expr(d + 1)
        return expr(d + 1) + rng.choice([" + ", " - ", " * ", "."]) + expr(d + 1)

    text = expr(0)
    r = rng.random()
    if r < 0.1 and len(text) > 1:
        i = rng.randrange(len(text))
        text = text[:i] + text[i + 1:]  # drop a character
    elif r < 0.2:
        i = rng.randrange(len(text) + 1)
        text = text[:i] + rng.choice(["(", "]", "'", ",", "\n", " ", "#", "\\"]) + text[i:]
    elif r < 0.25:
        text = rng.choice([" ", "\n", "\t", "  "]) + text + rng.choice(["", "\n", " "])
    return text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "test", "fixtures", "literal_eval.json"))
    ap.add_argument("--random", type=int, default=250, help="how many seeded random inputs")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    warnings.simplefilter("ignore")
    inputs = list(HAND)
    seen = set(inputs)
    while len(inputs) < len(HAND) + args.random:
        t = random_case(rng)
        if t not in seen:
            seen.add(t)
            inputs.append(t)
    cases = []
    for text in inputs:
        case = {"input": text}
        try:
            case["value"] = canon(ast.literal_eval(text))
            try:
                case["repr"] = repr(ast.literal_eval(text))
            except Exception:  # noqa: BLE001
                pass
        except BaseException as e:  # noqa: BLE001
            case["error"] = type(e).__name__
        cases.append(case)
    with open(args.out, "w") as f:
        json.dump({"python": sys.version.split()[0], "seed": args.seed, "cases": cases}, f, indent=1, ensure_ascii=True)
        f.write("\n")
    print(len(cases), "cases;", sum("error" in c for c in cases), "errors")


if __name__ == "__main__":
    main()
