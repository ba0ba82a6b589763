#!/usr/bin/env python3
"""Expected json_repair.loads results for test/json-repair.test.ts (src/json-repair.ts):

    git -C <json_repair checkout> archive 0.25.2 src | tar -x -C /tmp/jr
    PYTHONPATH=/tmp/jr/src /usr/bin/python3 scripts/make-json-repair-fixture.py [--seed N] > test/fixtures/json-repair.json

Imports the real package (mangiucugna/json_repair at tag 0.25.2; nothing of it is copied here) and
runs json_repair.loads on hand-written broken JSON (the answers LLMs give: fences, prose around the
JSON, unclosed brackets, trailing / missing commas, single and curly quotes, bare words, Chinese
punctuation, several objects, escapes, numbers json.loads refuses) and on seeded random corruptions
of Counting-Stars-like answers and random strings over JSON's punctuation. Each case is the input and either the result, type-tagged as in
make-json-loads-fixture.py, or the class of the exception raised. A different --seed gives cases
the port has not seen.
"""
import argparse
import json
import random
import sys

import json_repair


def canon(v):
    if v is None or isinstance(v, bool): return v
    if isinstance(v, int): return {"int": str(v)}
    if isinstance(v, float): return {"float": repr(v)}
    if isinstance(v, str): return {"str": v}
    if isinstance(v, list): return [canon(x) for x in v]
    if isinstance(v, dict): return {"dict": [[k, canon(x)] for k, x in v.items()]}
    raise TypeError(type(v))


HAND = [
    '{"little_penguin": [3, 5, 8]}', '{"little_penguin": [3, 5, 8', '{"little_penguin": [3, 5, 8,]}', '{"little_penguin": [3, 5, 8]',
    '{"little_penguin": [3 5 8]}', "{'little_penguin': [3, 5, 8]}", '{little_penguin: [3, 5, 8]}', '{“little_penguin”: [3, 5]}',
    'Here is the answer: {"little_penguin": [3, 5]} Hope it helps.', '{"little_penguin": [3, 5]} {"little_penguin": [7]}',
    '{"小企鹅": [3, 5, 8]}', '{"小企鹅": [3，5，8]}', '{"小企鹅"：[3, 5, 8]}', '{小企鹅: [3, 5]}', '答案是：{"小企鹅": [12, 15]}。',
    '{"little_penguin": ["3", "5"]}', '{"little_penguin": [3.0, 5.5, -2, 1e3, .5, -.5, 1/2, 1,000]}', '{"little_penguin": [01, 007]}',
    '{"little_penguin": [true, false, null, True, None, nul]}', '{"little_penguin": "3, 5, 8"}', '{"little_penguin": 3}',
    '{"little_penguin": [3, 5, ...]}', '{"little_penguin": [3, 5, ..., 9]}', '[3, 5, 8', '[3, 5, 8]]', '[[3, 5], [8', '3, 5, 8',
    '', '   ', 'no json here', '{}', '[]', '{', '[', '}', ']', '{"a": }', '{"a": , "b": 2}', '{"": 1}', '{"a": 1, "a": 2}',
    '{"a": "x\\"y"}', '{"a": "x\\ny"}', '{"a": "tab\\tend\\\\"}', '{"a": "unterminated', '{"a": "two words" and more}',
    '{"a": b c d}', '{"a": b, "c": d}', '{"a": "b" "c": "d"}', '{"a": ""b""}', '{"a": "quote " inside"}',
    '{"a": "x", "b": "y}', '{"a": [1, 2}, "b": 3}', '{"a": {"b": {"c": [1, 2', '{"a" 1}', '{"a": 1 "b": 2}',
    '{:"a": 1}', '{"a": 1,, "b": 2}', '{"a": -}', '{"a": -5}', '{"a": 1e}', '{"a": 1.2.3}', '{"a": 12/31}',
    '{"a": ²}', '[²]', '{"a": ١٢}', '{"a": "é ü 漢字 😀"}', '{"a": \'mixed"}', "{'a': 'it''s'}", '{"a": “curly”}',
    '```json\n{"a": [1, 2]}\n```', '{"a": [1, 2]}\n```\nThat is all.', 'The counts are [3, 5, 8] and {"a": 1}.',
    '{"a": [1, 2]} trailing words', 'prefix [1, 2] suffix', '{"a": true}', '{"a": tru}', '{"a": falsey}', '{"a": nullable}',
    '{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}', '[NaN, 1]', '{"a": [1, 2,]\n}', '{\n  "a": [\n    1,\n    2\n  ]\n}',
    '{"a": [1, 2]\n"b": 3}', '{"a": [1, 2]},', '{"a": [1, "two", three, 4]}', '[1, "a" "b", 2]', '["a", "b"', '["a, "b"]',
    '{"key with spaces": 1}', '{key with spaces: 1}', '{"a": 1} // comment', '/* c */ {"a": 1}', '{"a": "\\u0041"}',
    '{"a": [\'x\', "y", “z”]}', '{"a": [{"b": 1}, {"c": 2}', '{"a": {"b": 1}, "c": [1, {"d": 2]}', '{"t": True, "f": False}',
    '{"a": 5 apples}', '{"a": [5 apples, 6]}', '{"a": "x"}}', '{"a": "x"}]', 'Sure! ```json {"little_penguin": [1,2,3]} ```',
    '{"little_penguin": [12, 15, 19, 22, 27, 31, 35, 40, 44, 48, 52, 56, 61, 65, 70, 74, 79, 83, 88, 92, 96, 101]',
]


def corrupt(rnd, text):
    ops = rnd.randint(1, 3)
    for _ in range(ops):
        k = rnd.random()
        if not text:
            break
        if k < 0.2:
            text = text[: rnd.randint(0, len(text))]  # cut off
        elif k < 0.35:
            i = rnd.randint(0, len(text) - 1)
            text = text[:i] + text[i + 1:]  # drop a character
        elif k < 0.5:
            text = text.replace('"', rnd.choice(["'", "", "“"]), rnd.randint(1, 3))
        elif k < 0.6:
            text = text.replace(", ", rnd.choice([" ", ",,", "，", ", ,"]), rnd.randint(1, 4))
        elif k < 0.7:
            text = rnd.choice(["Answer: ", "```json\n", "好的：", "The result is "]) + text
        elif k < 0.8:
            text = text + rnd.choice(["\n```", " Done.", "。", " ]", "}"])
        elif k < 0.9:
            i = rnd.randint(0, len(text))
            text = text[:i] + rnd.choice([" ", "\n", ":", "\\", "...", "-", "e", "true"]) + text[i:]
        else:
            text = text.replace("]", rnd.choice(["", ",]", "]]"]), 1)
    return text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    inputs = list(HAND) if args.seed == 1 else []
    while len(inputs) < (len(HAND) + 250 if args.seed == 1 else 300):
        key = rnd.choice(["little_penguin", "小企鹅", "a"])
        values = [rnd.choice([rnd.randint(1, 200), rnd.randint(1, 9) * 1.5, str(rnd.randint(1, 99))]) for _ in range(rnd.randint(0, 8))]
        body = json.dumps({key: values}, ensure_ascii=rnd.random() < 0.3)
        inputs.append(corrupt(rnd, body))
    # Random strings over JSON's punctuation, quotes of three kinds, letters that start true/false/null,
    # number characters, escapes and CJK punctuation: where the parser's heuristics meet garbage.
    alphabet = ['{', '}', '[', ']', '"', "'", '“', '”', ':', ',', ' ', '\n', '\t', 'a', 't', 'n', 'f', 'E', '0', '1', '-', '.',
                'e', '\\', '小', '，', '/', '²', 'true', 'null']
    for _ in range(300):
        inputs.append("".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))))
    cases = []
    for text in inputs:
        try:
            cases.append({"input": text, "ok": canon(json_repair.loads(text))})
        except Exception as e:  # noqa: BLE001 - the class is the expected outcome
            cases.append({"input": text, "error": type(e).__name__})
    json.dump({"json_repair": json_repair.__name__ + " 0.25.2", "seed": args.seed, "cases": cases}, sys.stdout, ensure_ascii=False, indent=0)
    sys.stdout.write("\n")


main()
