#!/usr/bin/env python3
"""Fixture for `rougeScores`: rouge 1.0.1 `Rouge().get_scores([hyp], [ref])[0]` (rouge-1, rouge-2,
rouge-l; f, p, r), or the exception it raises, called three Python frames deep as LooGLE's
Evaluation/automatic_metrics.py calls it (<module> -> evaluation -> get_rouge_score).

    /usr/bin/python3 scripts/make-rouge-fixtures.py --rouge /path/to/rouge-1.0.1 [--seed N]

--rouge: a directory holding the `rouge` package of pltrdy/rouge at tag 1.0.1 (needs python3-six).
"""
import argparse
import json
import os
import random
import sys
import traceback

ap = argparse.ArgumentParser()
ap.add_argument("--rouge", required=True)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "rouge-n.json"))
args = ap.parse_args()
sys.path.insert(0, args.rouge)
from rouge import Rouge  # noqa: E402

rng = random.Random(args.seed)
WORDS = ["a", "b", "c", "the", "cat", "sat", "on", "mat", "dog", "Dog", "dogs", "é", "中文", "x.y", "1.5", ".", "..", " ", "\n", "\t", "\u3000", "\u00a0"]
BASE = ["the cat sat on the mat", "the cat. sat on. the mat.", "a b c d e", "e d c b a", "x", ".", "..", " . ", "   ", "",
        "one two. . three", "the the the", "mat the on sat cat the", "Hello world. Hello again. world", "a.b.c.d",
        "word word word. word", "x y z. z y x. x", "None", "He was born in Jerez.\\nHe moved to Madrid."]
cases = []
for _ in range(250):
    h = rng.choice(BASE) if rng.random() < 0.4 else " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30)))
    r = rng.choice(BASE) if rng.random() < 0.4 else " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30)))
    cases.append((h, r))
for n in [990, 991, 992, 993, 994, 995]:
    seq = " ".join("w%d" % k for k in range(n))
    cases.append((seq, seq))
    cases.append((seq + ". tail", "w0 w1. " + seq))


def get_rouge_score(reference, hypothesis):  # LooGLE's frame
    depth.append(len(traceback.extract_stack()))
    return Rouge().get_scores(hyps=[hypothesis], refs=[reference])[0]


def evaluation(h, r):  # LooGLE's evaluation() frame
    return get_rouge_score(r, h)


depth = []
out = []
for h, r in cases:
    try:
        scores = evaluation(h, r)
        out.append({"hypothesis": h, "reference": r, "scores": scores})
    except (ValueError, RecursionError) as e:
        out.append({"hypothesis": h, "reference": r, "error": type(e).__name__})
assert len(set(depth)) == 1
with open(args.out, "w", encoding="utf-8") as f:
    json.dump({"callerFrames": depth[0], "recursionLimit": sys.getrecursionlimit(), "cases": out}, f, ensure_ascii=False)
    f.write("\n")
print(len(out), "cases, caller frames", depth[0], sum(1 for c in out if "error" in c), "errors")
