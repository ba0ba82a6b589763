#!/usr/bin/env python3
"""Parity fixture for src/punkt.ts: `nltk.sent_tokenize(text)` (NLTK 3.8, english.pickle) on adversarial texts.

    NLTK_DATA=/path/to/nltk_data /usr/bin/python3 scripts/make-punkt-fixture.py [--seed N] [--out FILE]

NLTK_DATA must hold tokenizers/punkt/english.pickle (nltk_data's punkt package). Sentences come from Debian's
wordnet-base glosses, mixed with abbreviations, initials, numbers, ellipses, quotes, brackets, odd whitespace.
"""
import argparse
import json
import os
import random

import nltk

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "punkt.json")
BITS = ["Mr.", "Mrs.", "Dr.", "St.", "U.S.", "U.S.A.", "e.g.", "i.e.", "etc.", "vs.", "Jan.", "Corp.", "Inc.", "Ltd.",
        "No.", "J.", "J. S. Bach", "A.", "p.m.", "a.m.", "3.", "1.5", "2,000.", "No. 5", "...", "…", "....", ". . .",
        "?!", "!!!", "??", "(", ")", "\"", "'", "[", "]", "{", "}", "--", "-", ";", ":", ",", "“", "”", "‘", "’",
        "\n", "\n\n", "\t", "  ", "\u00a0", "\u3000", "\r\n", "2023.", "v1.2.", "Ph.D.", "Ünïcödé.", "中文。", "Σ.",
        "ΑΒΓ. Δ", "İ.", "x.", "Oct.", "(Sent1.)", "\"Quoted.\"", "'Single.'", "[Bracket.]", "end.)", "end.\"", "e.g.,"]


def glosses(limit):
    out = []
    with open("/usr/share/wordnet/data.noun", encoding="utf-8") as f:
        for line in f:
            if line.startswith(" ") or "|" not in line:
                continue
            g = line.split("|", 1)[1].strip()
            for part in g.split(";"):
                part = part.strip().strip('"')
                if part:
                    out.append(part[0].upper() + part[1:] + rng_end(part))
            if len(out) >= limit:
                break
    return out


def rng_end(part):
    return "" if part[-1:] in ".?!" else "."


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=OUT)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    sents = glosses(3000)
    texts = ["", " ", "\n", "Hello.", "Hello world", "Mr. Smith went to Washington. He said hi.",
             "Punkt knows that the periods in Mr. Smith and Johann S. Bach do not mark sentence boundaries.  And sometimes sentences can start with non-capitalized words.  i is a good variable name.",
             "(How does it deal with this parenthesis?)  \"It should be part of the previous sentence.\" \"(And the same with this one.)\" ('And this one!') \"(\"And that one.\")\"",
             "Very bad acting!!! I promise.", "It is 3.5 times bigger. 2. Second point.", "Wait... what? Really?! Yes.",
             "The U.S. is big. The U.K. is not.", "He was born Jan. 5, 1990. He died Dec. 12.", "Line one.\nLine two.\n\nPara two."]
    while len(texts) < 600:
        parts = []
        for _ in range(rng.randint(1, 8)):
            r = rng.random()
            if r < 0.55:
                parts.append(rng.choice(sents))
            elif r < 0.85:
                parts.append(rng.choice(BITS))
            else:
                s = rng.choice(sents)
                parts.append(s[0].lower() + s[1:])
        texts.append(rng.choice([" ", " ", "  ", "\n", "", " "]).join(parts))
    out = {"seed": a.seed, "nltk": nltk.__version__, "cases": [[t, nltk.sent_tokenize(t)] for t in texts]}
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(len(texts), "texts ->", a.out)


if __name__ == "__main__":
    main()
