#!/usr/bin/env python3
"""Fixture for literalEval(text, { mode: "eval" }): Python 3.11's eval() of cloze-style model outputs (literals only).

    /usr/bin/python3 scripts/make-pyliteral-fixture.py [--seed N]

Every case here is a literal or malformed text; none runs code. Records repr(value) and type, or
the exception class name.
"""
import argparse, json, os, random
ap = argparse.ArgumentParser(); ap.add_argument("--seed", type=int, default=1); args = ap.parse_args()
rng = random.Random(args.seed)
BASE = [
    "{'<mask-0>': 'Bob', '<mask-1>': 'Gorrosion Magazine','<mask-2>': 'Bethel Horizon'}",
    '{"<mask-0>": "Justin Timberlake", "<mask-1>": "Cerina Aragones"}', "{'<mask-0>': 'A', '<mask-0>': 'B'}",
    "  {'<mask-0>': 'x'}", "\t{'<mask-0>': 'x'}", "\n{'<mask-0>': 'x'}", "{'<mask-0>': 'x'}\n", "{'<mask-0>': 'x'} ",
    "{'<mask-0>':\n 'x',\n}", "{'<mask-0>': 'x'} # note", "# c\n{'a': 1}", "{'<mask-0>': 'Jo' 'hn'}", "{'<mask-0>': r'\\n'}",
    "{'<mask-0>': 'caf\\u00e9'}", "{'<mask-0>': '\\x41'}", "{'<mask-0>': '\\101'}", "{'<mask-0>': '''tri'ple'''}",
    "{'<mask-0>': None}", "{'<mask-0>': 1}", "{'<mask-0>': -1.5e3}", "{'<mask-0>': ['a']}", "{'<mask-0>': ('a',)}",
    "{('a','b'): 'c'}", "{['a']: 'b'}", "{{'a':1}: 2}", "{'a', 'b'}", "{}", "[]", "()", "None", "True", "''", "'text'",
    "The answer is {'<mask-0>': 'Bob'}", "{'<mask-0>': 'Bob'", "{'<mask-0>' 'Bob'}", "{'<mask-0>': Bob}",
    '{"<mask-0>": null}', '{"<mask-0>": true}', "{'<mask-0>': 'Bob',}", "{'<mask-0>': 'Bob',,}", "{,}", "1, 2", "(1)",
    "{'a': 01}", "{'a': 0}", "{'a': 00}", "{'a': 1_000}", "{'a': 0x1F}", "{'a': 1j}", "{'a': .5}", "{'a': 5.}",
    "{'a': b'x'}", "{'a': 'x' b'y'}", "{'a': f'x'}", "{'a': +'x'}", "{'a': -True}", "{'a': ...}", "'unterminated",
    "{'<mask-0>': 'Bob'}\n{'<mask-1>': 'Al'}", "{\"<mask-0>\": \"O'Neil\"}", "{'<mask-0>': 'O\\'Neil'}", "{'a': '\\q'}",
    "```python\n{'<mask-0>': 'Bob'}\n```", "{'<mask-0>': 'Bob'}```", "{'<mask-0>': '中文'}", "{'<mask-0>': '😀'}",
    "{'<mask-0>': 'Bob', '<mask-1>': {'x': 1}}", "[{'<mask-0>': 'Bob'}]", "{'a': [1, 2, [3, (4, 5)]]}", "{1: 'a', True: 'b'}",
    "{'<mask-0>' : 'Bob' , '<mask-1>' : 'Al' }", "\\\n{'a': 1}", "{'a': 1}\\\n", " \n \n{'a': 1}", "\n\n", "", " ",
    # what eval() computes on literals and ast.literal_eval refuses
    "--1", "+-1.5", "-(1)", "- 1", "~1", "~True", "not 1", "not ''", "not []", "-'a'", "~1.5", "-None", "{'a': -True}",
    "f'x{{y}}'", "f'a' 'b'", "rf'\\n'", "-1j", "1+2j", "-1-2j", "{'a': (1, -2.5e-3, not 0)}",
]
cases = list(BASE)
parts = ["{", "}", "'", '"', ":", ",", " ", "<mask-0>", "<mask-1>", "Bob", "Al Smith", "\n", "[", "]", "(", ")", "1", "None", "#", "\\", "é"]
for _ in range(150):
    cases.append("".join(rng.choice(parts) for _ in range(rng.randint(1, 14))))
out = []
for c in cases:
    try:
        v = eval(c, {"__builtins__": {}}, {})
        out.append({"text": c, "type": type(v).__name__, "repr": repr(v)})
    except Exception as e:
        out.append({"text": c, "error": type(e).__name__})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "pyliteral.json"), "w", encoding="utf-8") as f:
    json.dump({"cases": out}, f, ensure_ascii=False, indent=0); f.write("\n")
print(len(out))
