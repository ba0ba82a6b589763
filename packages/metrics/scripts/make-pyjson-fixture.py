#!/usr/bin/env python3
"""Expected values for the float() port (src/pyjson.ts), from the running Python.

    /usr/bin/python3 scripts/make-pyjson-fixture.py > test/fixtures/pyjson.json

Each float case: the text, and repr(float(text)) or the exception type.
"""
import json
import sys

FLOAT_TEXTS = [
    '4', ' 4 ', '4.5', '1e3', '1_000', '1__0', '_1', '1_', '1_.5', '1._5', '.5', '5.', '.', 'e5', '+3', '-3',
    'inf', '-Infinity', 'NaN', 'nAn', '+inf', 'infinit', '\u0664', '\uff14', '\u0664.\u0665', '4/5', 'four',
    '', '   ', '\u30004\u3000', '1e1_0', '0x10', '1e', '1e+', '--1', '0004', '1.5e-3', '\n4\n', '4\x00',
    '\U0001d7d0', '1 2', '٣٫٥',
]

out = {"float": []}
for t in FLOAT_TEXTS:
    try:
        out["float"].append({"text": t, "repr": repr(float(t))})
    except Exception as e:
        out["float"].append({"text": t, "error": type(e).__name__})
json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
sys.stdout.write("\n")
