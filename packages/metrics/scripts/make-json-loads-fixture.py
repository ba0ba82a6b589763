#!/usr/bin/env python3
"""Expected json.loads results for test/python-json.test.ts (src/python-json.ts), from the running Python:

    /usr/bin/python3 scripts/make-json-loads-fixture.py > test/fixtures/py-json-loads.json

Each case is an input and either what json.loads returned, type-tagged (int / float / str, dicts as
[key, value] pairs in Python's order), or the class of the exception it raised.
"""
import json
import sys

CASES = ['[1, 2, 3, 4]', ' [4,3,2,1] ', '[1.0, 2, 3e0, 4]', '1', '-0', '-0.0', '1e400', '-1e400', '1.5E-3', '1e', '1.', '01', '-', '--1',
 'NaN', '-NaN', 'Infinity', '-Infinity', 'infinity', 'null', 'true', 'false', 'True', '"1234"', '""', '{}', '{"a": 1, "a": 2, "b": 3}',
 '{"2": 1, "1": 2}', '[1,]', '[1 2]', '{"a":1,}', "{'a': 1}", '\ufeff[1]', '[1] x', '[1]\n', '\t[1]\r\n', '[\u00a0 1]', '"a\\u00e9"',
 '"\\ud83d\\ude00"', '"\\ud83d"', '"\\ud83dx"', '"\\ud83d\\u0041"', '"\\x41"', '"a\tb"', '"\\/"', '12345678901234567890123', '-12345678901234567890',
 '9007199254740993', '9007199254740992', '1' * 4300, '1' * 4301, '[' * 5 + ']' * 5, '[[[1]]]', '', '   ', '[1, [2, 3], {"x": [4]}]',
 '3.0000000000000000001', '[true, 3, 2, 4]', '0.1', '1E+2', '1e-2', '[1,2,3,4', '"unterminated', '[1, 2, 3, 4]]', '{"a" 1}', '{1: 2}',
 '[NaN, Infinity]', '"\u2028"', '１', '[１]',
 # judge verdicts and prediction lines (LongWriter, LongCite, L-CiteEval)
 '{"Relevance": 5, "Accuracy": 4}', '{"b": 1, "a": 2, "b": 3}', '{"2": 1, "1": 2, "x": 3}',
 '[1, 1.0, -0.0, -0, 1e2, 1E-2, 12345678901234567890, 0.1]', '"\\ud83d\\ude00 \\u00e9 \\/"', ' {"a" : [ ] , "b" : { } } ', '.5',
 'tru', 'true false', '\ufeff{}', '{"a": "\\x41"}', '5', '4.5', '"Relevance Accuracy"',
 '{"Analysis": "ok", "Relevance": "4", "Accuracy": 4.0}', '{"a": 1e400}', '{"a": -1e-400}', '[true,false,null]', '{"\\u0031": 1, "1": 2}',
 '{"a": 1}{"b": 2}', '[01]', '1e5', '1E+5', '[Infinity, -Infinity, NaN]', '"a\\tb"', '{"a": 1,}',
 # int vs float as isinstance(label, int) sees them (InfiniteBench, LEval)
 '{"a": 1, "b": 1.0, "c": -0.0, "d": 1e3, "e": [1, 2.5, "x"], "f": null, "g": true}', '88', '88.0', '-1',
 '"\\u00e9\\ud83d\\ude00"', '[NaN, Infinity, -Infinity]', '{"a": {"b": [[], {}]}}', '  3  ', '{"k": 1, "k": 2}',
 '"tab\\tnew\\nline"', '"\\x"', '[1,2,3]', '{"x":[1.5e-7, 12345678901234567890]}', '[1,', '"a\nb"']


def canon(v):
    if v is None or isinstance(v, bool): return v
    if isinstance(v, int): return {"int": str(v)}
    if isinstance(v, float): return {"float": repr(v)}
    if isinstance(v, str): return {"str": v}
    if isinstance(v, list): return [canon(x) for x in v]
    if isinstance(v, dict): return {"dict": [[k, canon(x)] for k, x in v.items()]}


def main():
    assert len(CASES) == len(set(CASES)), "duplicate input"
    out = []
    for c in CASES:
        try:
            out.append({"input": c, "ok": canon(json.loads(c))})
        except Exception as e:
            out.append({"input": c, "error": type(e).__name__})
    json.dump(out, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
