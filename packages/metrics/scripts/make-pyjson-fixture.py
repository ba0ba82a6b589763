#!/usr/bin/env python3
"""Expected values for the json.loads / float() port (src/pyjson.ts), from the running Python.

    /usr/bin/python3 scripts/make-pyjson-fixture.py > test/fixtures/pyjson.json

Each json case: the text, and json.dumps(json.loads(text), ensure_ascii=False) or the exception
type. Each float case: the text, and repr(float(text)) or the exception type.
"""
import json
import sys

JSON_TEXTS = [
    '{"Relevance": 5, "Accuracy": 4}', '{"b": 1, "a": 2, "b": 3}', '{"2": 1, "1": 2, "x": 3}',
    '[1, 1.0, -0.0, -0, 1e2, 1E-2, 12345678901234567890, 0.1]', 'NaN', '[Infinity, -Infinity, NaN]',
    '"\\ud83d\\ude00 \\u00e9 \\/"', '"a\\tb"', '"a\tb"', ' {"a" : [ ] , "b" : { } } ', '01', '1.', '.5',
    '-', 'tru', 'true false', '{"a": 1,}', '[1,]', "{'a': 1}", '\ufeff{}', '', '   ', '{"a": "\\x41"}',
    '5', '4.5', '"Relevance Accuracy"', 'null', '{"Analysis": "ok", "Relevance": "4", "Accuracy": 4.0}',
    '{"a": 1e400}', '{"a": -1e-400}', '[true,false,null]', '{"\\u0031": 1, "1": 2}', '"\u2028"',
    '{"a": 1}{"b": 2}', '[1 2]', '{"a" 1}', '"unterminated', '[01]', '-Infinity', '-NaN', '1e5', '1E+5',
]
FLOAT_TEXTS = [
    '4', ' 4 ', '4.5', '1e3', '1_000', '1__0', '_1', '1_', '1_.5', '1._5', '.5', '5.', '.', 'e5', '+3', '-3',
    'inf', '-Infinity', 'NaN', 'nAn', '+inf', 'infinit', '\u0664', '\uff14', '\u0664.\u0665', '4/5', 'four',
    '', '   ', '\u30004\u3000', '1e1_0', '0x10', '1e', '1e+', '--1', '0004', '1.5e-3', '\n4\n', '4\x00',
    '\U0001d7d0', '1 2', '٣٫٥',
]

out = {"json": [], "float": []}
for t in JSON_TEXTS:
    try:
        v = json.loads(t)
        out["json"].append({"text": t, "dumps": json.dumps(v, ensure_ascii=False), "type": type(v).__name__})
    except Exception as e:
        out["json"].append({"text": t, "error": type(e).__name__})
for t in FLOAT_TEXTS:
    try:
        out["float"].append({"text": t, "repr": repr(float(t))})
    except Exception as e:
        out["float"].append({"text": t, "error": type(e).__name__})
json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
sys.stdout.write("\n")
