#!/usr/bin/env python3
"""Expected `Rouge().get_scores([hyp], [ref], avg=True)` (rouge 1.0.1) for src/rouge.ts `rougeScores`.

    /usr/bin/python3 scripts/make-rouge-scores-fixture.py --rouge /path/to/rouge-1.0.1 --seed 1 > test/fixtures/rouge-scores.json

--rouge: a directory holding the `rouge` package of pltrdy/rouge at tag 1.0.1 (needs six).
"""
import argparse
import json
import random
import sys

WORDS = ["the", "cat", "sat", "on", "mat", "a", "dog", "ran", "fast", "The", "Cat", "needle", "is", "42", "blue"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rouge", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sys.path.insert(0, args.rouge)
    from rouge import Rouge
    rng = random.Random(args.seed)
    pairs = [("", "a"), ("a", ""), ("...", "a b"), (" . ", "a"), ("a b c", "a b c"), ("a. b. c.", "c b a"), ("a  b\tc", "a b\nc"),
             ("the the the", "the"), ("x", "y"), ("é ü", "é"), ("a . . b", "a b"), ("1. 2. 3.", "1 2 3")]
    for _ in range(150):
        def text():
            return "".join(rng.choice(WORDS) + rng.choice([" ", " ", "  ", ". ", ".", "\n", ", "]) for _ in range(rng.randint(1, 30)))
        pairs.append((text(), text()))
    out = []
    for h, r in pairs:
        try:
            out.append({"hyp": h, "ref": r, "scores": Rouge().get_scores([h], [r], avg=True)})
        except Exception as e:
            out.append({"hyp": h, "ref": r, "error": type(e).__name__})
    json.dump({"seed": args.seed, "cases": out}, sys.stdout, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
