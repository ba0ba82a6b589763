#!/usr/bin/env python3
"""Expected sentences of nltk's untrained PunktSentenceTokenizer (src/punkt.ts), from Debian's nltk.

    /usr/bin/python3 scripts/make-punkt-fixture.py --seed 1 > test/fixtures/punkt.json

Texts: hand-picked edge cases (abbreviations, initials, ordinals, ellipses, quotes and brackets after
the period, Unicode whitespace and letters, Chinese) and random mixtures of them.
"""
import argparse
import json
import random
import sys

import nltk
from nltk.tokenize import PunktSentenceTokenizer

FIXED = [
    "", " ", "Hello world.", "Hello world. How are you? Fine!", "Mr. Smith went to Washington. He arrived at 5 p.m. today.",
    "J. S. Bach wrote music. He was born in 1685.", "It cost 3.5 dollars. Then 4. It was cheap.", "The 2nd. item is here. The 3. one.",
    "Wait... What? No!!! Yes?! Ok.", "(Sent1.) Sent2.", '"Quoted sentence." Another one.', "He said 'stop.' Then left.",
    "End with spaces.   ", "Line one.\nLine two.\n\nNew paragraph. Last", "a.b.c. d.e. F.G. h", "U.S.A. is big. U.K. too.",
    "Numbers like 1. 2. 3. go here.", "Ellipsis .. two dots. Three . . . spaced.", "Dash -- after. Next -- one.",
    "Tabs\tand.\tmore. Nbsp\u00a0here.\u00a0Next", "Ideographic\u3000space.\u3000Next one.", "Unicode Élan. émile is here. Ωmega.",
    "这是第一句。这是第二句！第三句？", "Mixed 中文. English. 中文句子。", "Brackets [see above.] Then (more.) {x.} Done.",
    "Ends with question?\"  Next", "Semicolon; not end. Colon: not end.", "x. y. z.", "A. B. C.", "e.g. this. i.e. that.",
    "Emoji 😀. Next 😀 sentence.", "\u2028Line sep. Next\u2029Para sep. End", "Price is $5. Yes. 5.5. 5,000. Ok.",
    "Version 1.2.3. Next v. 2.", "...Starts with dots. Then.", "?! Odd start. ! ok.", "Ends without period", ". . .",
    "He is Dr.Who. She is Mrs.Smith.", "word.\u0085Next word.", "Hi.\x1cNext.", "Hi.\ufeffNext.",
]


def random_text(rng):
    words = ["the", "Cat", "sat", "on", "Mr.", "J.", "e.g.", "1999.", "3.", "No.", "mat", "...", "Then", "it", "U.S.", "(see", "below)",
             "\"quote.\"", "'single.'", "etc.", "x.", "A.", "ran", "fast!", "why?", "--", "中文。", "句子！", "Ωmega", "émile", "2.5",
             "[1]", "end.", ")", "v.", "St.", "Jr.", "inc.", "and", "so", "on."]
    seps = [" ", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", ""]
    return "".join(rng.choice(words) + rng.choice(seps) for _ in range(rng.randint(1, 40)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tok = PunktSentenceTokenizer()
    texts = FIXED + [random_text(rng) for _ in range(args.n)]
    cases = [{"text": t, "sentences": tok.tokenize(t), "spans": list(tok.span_tokenize(t))} for t in texts]
    json.dump({"nltk": nltk.__version__, "seed": args.seed, "cases": cases}, sys.stdout, ensure_ascii=False, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
