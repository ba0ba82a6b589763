#!/usr/bin/env python3
"""Parity fixtures for src/punkt.ts, from Debian's nltk 3.8, one per model:

    /usr/bin/python3 scripts/make-punkt-fixture.py --model untrained [--seed 1] [--out FILE]
        PunktSentenceTokenizer() (no parameters, what LongCite uses) -> test/fixtures/punkt-untrained.json
    NLTK_DATA=/path/to/nltk_data /usr/bin/python3 scripts/make-punkt-fixture.py --model english [--seed 0] [--out FILE]
        nltk.sent_tokenize(text) (tokenizers/punkt/english.pickle) -> test/fixtures/punkt-english.json

untrained texts: hand-picked edge cases (abbreviations, initials, ordinals, ellipses, quotes and
brackets after the period, Unicode whitespace and letters, Chinese) and random mixtures of them.
english texts: sentences from Debian's wordnet-base glosses, mixed with abbreviations, initials,
numbers, ellipses, quotes, brackets, odd whitespace.
"""
import argparse
import json
import os
import random
import sys

import nltk
from nltk.tokenize import PunktSentenceTokenizer

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")

# ---- untrained -------------------------------------------------------------------------------

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


def random_untrained_text(rng):
    words = ["the", "Cat", "sat", "on", "Mr.", "J.", "e.g.", "1999.", "3.", "No.", "mat", "...", "Then", "it", "U.S.", "(see", "below)",
             "\"quote.\"", "'single.'", "etc.", "x.", "A.", "ran", "fast!", "why?", "--", "中文。", "句子！", "Ωmega", "émile", "2.5",
             "[1]", "end.", ")", "v.", "St.", "Jr.", "inc.", "and", "so", "on."]
    seps = [" ", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", ""]
    return "".join(rng.choice(words) + rng.choice(seps) for _ in range(rng.randint(1, 40)))


def untrained(seed, n, out):
    rng = random.Random(seed)
    tok = PunktSentenceTokenizer()
    texts = FIXED + [random_untrained_text(rng) for _ in range(n)]
    cases = [{"text": t, "sentences": tok.tokenize(t), "spans": list(tok.span_tokenize(t))} for t in texts]
    json.dump({"nltk": nltk.__version__, "seed": seed, "cases": cases}, out, ensure_ascii=False, indent=0)
    out.write("\n")


# ---- english ---------------------------------------------------------------------------------

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
                    out.append(part[0].upper() + part[1:] + ("" if part[-1:] in ".?!" else "."))
            if len(out) >= limit:
                break
    return out


def english(seed, n, out):
    rng = random.Random(seed)
    sents = glosses(3000)
    texts = ["", " ", "\n", "Hello.", "Hello world", "Mr. Smith went to Washington. He said hi.",
             "Punkt knows that the periods in Mr. Smith and Johann S. Bach do not mark sentence boundaries.  And sometimes sentences can start with non-capitalized words.  i is a good variable name.",
             "(How does it deal with this parenthesis?)  \"It should be part of the previous sentence.\" \"(And the same with this one.)\" ('And this one!') \"(\"And that one.\")\"",
             "Very bad acting!!! I promise.", "It is 3.5 times bigger. 2. Second point.", "Wait... what? Really?! Yes.",
             "The U.S. is big. The U.K. is not.", "He was born Jan. 5, 1990. He died Dec. 12.", "Line one.\nLine two.\n\nPara two."]
    while len(texts) < n:
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
    json.dump({"seed": seed, "nltk": nltk.__version__, "cases": [[t, nltk.sent_tokenize(t)] for t in texts]}, out, ensure_ascii=False, indent=0)
    out.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["untrained", "english"], required=True)
    ap.add_argument("--seed", type=int, help="default 1 (untrained) / 0 (english), the committed fixtures' seeds")
    ap.add_argument("--n", type=int, help="random texts (untrained, default 300) / all texts (english, default 600)")
    ap.add_argument("--out", help="default test/fixtures/punkt-<model>.json")
    a = ap.parse_args()
    path = a.out or os.path.join(FIXTURES, "punkt-%s.json" % a.model)
    with open(path, "w", encoding="utf-8") as out:
        if a.model == "untrained":
            untrained(1 if a.seed is None else a.seed, 300 if a.n is None else a.n, out)
        else:
            english(0 if a.seed is None else a.seed, 600 if a.n is None else a.n, out)
    print(a.model, "->", path, file=sys.stderr)


if __name__ == "__main__":
    main()
