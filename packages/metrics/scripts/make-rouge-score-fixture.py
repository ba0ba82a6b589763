#!/usr/bin/env python3
"""Parity fixture for the rouge_score port (src/rouge-score.ts) and NLTK's PorterStemmer (src/porter.ts).

    /usr/bin/python3 scripts/make-rouge-score-fixture.py --rouge-score DIR [--seed 0] [--out FILE]

DIR holds the `rouge_score` package of google-research/rouge (PyPI rouge-score 0.1.2): DIR/rouge_score/
rouge_scorer.py, tokenize.py, tokenizers.py, scoring.py. It is imported, never copied. NLTK is Debian 12's
python3-nltk (3.8); English words and sentences come from Debian's wordnet-base (/usr/share/wordnet).
The fixture holds only inputs and the numbers the official code returned. A different --seed gives a
different, unseen set of cases (the test reads test/fixtures/rouge-score.json; point it elsewhere with
ROUGE_SCORE_FIXTURE=... to check another seed).
"""
import argparse
import json
import os
import random
import sys

WORDNET = "/usr/share/wordnet"
DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "rouge-score.json")

# Words that walk each branch of the Porter steps and the NLTK extensions.
STEM_WORDS = [
    "caresses", "ponies", "ties", "caress", "cats", "feed", "agreed", "plastered", "bled", "motoring", "sing",
    "conflated", "troubled", "sized", "hopping", "tanned", "falling", "hissing", "fizzed", "failing", "filing",
    "happy", "sky", "relational", "conditional", "rational", "valenci", "hesitanci", "digitizer", "conformabli",
    "radicalli", "differentli", "vileli", "analogousli", "vietnamization", "predication", "operator", "feudalism",
    "decisiveness", "hopefulness", "callousness", "formaliti", "sensitiviti", "sensibiliti", "triplicate",
    "formative", "formalize", "electriciti", "electrical", "hopeful", "goodness", "revival", "allowance",
    "inference", "airliner", "gyroscopic", "adjustable", "defensible", "irritant", "replacement", "adjustment",
    "dependent", "adoption", "homologou", "communism", "activate", "angulariti", "homologous", "effective",
    "bowdlerize", "probate", "rate", "cease", "controll", "roll", "skies", "dying", "lying", "tying", "news",
    "innings", "inning", "outings", "outing", "cannings", "canning", "howe", "proceed", "exceed", "succeed",
    "dies", "died", "cried", "spied", "flies", "fly", "spy", "try", "enjoy", "enjoyment", "syzygy", "toy", "yay",
    "yyy", "y", "ay", "ya", "by", "trees", "oats", "ivy", "troubles", "private", "oaten", "orrery", "generously",
    "analogi", "archaeologi", "logi", "fulli", "hopefulli", "bli", "abli", "beautifulli", "ies", "ied", "eed",
    "ing", "ed", "s", "ss", "sses", "a", "ab", "abc", "is", "as", "us", "ion", "tion", "sion", "ation", "alli",
    "meeting", "friends", "running", "generalizations", "oscillators", "irreducibility", "anthropologically",
    "x", "xx", "xxx", "xxxx", "1234", "12ing", "a1b2", "covid19", "mp3s", "ww2", "ly", "ement", "ousness",
    "sensational", "crying", "saying", "playing", "obeying", "annoyed", "yelled", "yes", "yesterday", "eyeing",
    "bowed", "bowing", "boxing", "taxed", "fixed", "sewing", "filling", "spelling", "fizzing", "buzzing",
    "misses", "kisses", "hisses", "agreement", "disagreement", "breed", "succeeding", "exceedingly", "skied",
    "tieing", "ponied", "feeds", "needed", "speed", "speeding", "bleed", "agreed", "guaranteed", "refereed",
]

ODD_TEXT_BITS = [
    "İstanbul", "\u212aelvin", "\u212bngstr\u00f6m", "caf\u00e9", "na\u00efve", "\u00c9COLE", "stra\u00dfe", "\ufb01nance",
    "\u0130I\u0131i", "\u2160\u2161", "\u24d0\u24d1", "\uff21\uff22\uff23", "\uff41\uff42", "\uff11\uff12\uff13", "\u00b2\u00b3",
    "\u0663\u0664", "\u4e2d\u6587\u6458\u8981", "\u6a21\u578b\u8f93\u51fa\u4e86\u7b54\u6848", "\U0001f600 smile", "\U00020000x",
    "\u0391\u03a3\u03a3", "\u041f\u0440\u0438\u0432\u0435\u0442", "e\u0301", "\u00a0", "\u2003", "\u3000", "\u200b", "\ufeff",
    "\x1c", "\x1d", "\x85", "\u2028", "\u2029", "\r\n", "\r", "\t", "\x0b", "\x0c", "don't", "U.S.A.", "e-mail",
    "C++", "3.14", "1,000,000", "$5", "#1", "a_b", "snake_case_words", "CamelCaseWord", "HTTP/2", "x86-64",
    "...", "!!!", "???", "--", "\u2014", "\u2013", "\u201cquoted\u201d", "\u2018single\u2019", "(paren)", "[bracket]",
]

PUNCT = [".", ",", ";", ":", "!", "?", "-", "'", '"', "(", ")", "/", "&", "%", "*"]


def wordnet_words():
    words = set()
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(WORDNET, f"index.{pos}"), encoding="utf-8") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                for part in line.split(" ", 1)[0].split("_"):
                    words.add(part)
        with open(os.path.join(WORDNET, f"{pos}.exc"), encoding="utf-8") as f:
            for line in f:
                for part in line.split():
                    for piece in part.split("_"):
                        words.add(piece)
    return sorted(words)


def wordnet_glosses(limit):
    out = []
    with open(os.path.join(WORDNET, "data.noun"), encoding="utf-8") as f:
        for line in f:
            if line.startswith(" ") or "|" not in line:
                continue
            out.append(line.split("|", 1)[1].strip())
            if len(out) >= limit:
                break
    return out


def score_dict(score):
    return {k: [v.precision, v.recall, v.fmeasure] for k, v in score.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rouge-score", required=True, help="directory holding the rouge_score package")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    sys.path.insert(0, os.path.abspath(args.rouge_score))
    from rouge_score import rouge_scorer, tokenize  # noqa: E402
    from nltk.stem import porter  # noqa: E402
    import nltk  # noqa: E402

    rng = random.Random(args.seed)
    vocab = wordnet_words()
    glosses = wordnet_glosses(4000)

    # --- Porter stemmer: adversarial words, a sample of WordNet, random letter strings, odd casing.
    words = list(STEM_WORDS)
    words += rng.sample(vocab, 1200)
    for _ in range(300):
        words.append("".join(rng.choice("aeiouybcdglmnprstvxyz") for _ in range(rng.randint(1, 12))))
    for _ in range(60):
        w = rng.choice(STEM_WORDS + vocab[:2000])
        words.append("".join(c.upper() if rng.random() < 0.4 else c for c in w))
    words += ["", "SKIES", "Dying", "NEWS", "\u0130ng", "\u212aing", "caf\u00e9s", "\U0001f600ing", "a\U0001f600ying",
              "\U00020000\U00020000ies", "\u00dfes", "\u03a3\u03a3ing"]
    stemmers = {mode: porter.PorterStemmer(mode) for mode in ("NLTK_EXTENSIONS", "MARTIN_EXTENSIONS", "ORIGINAL_ALGORITHM")}
    stem_cases = []
    for w in words:
        case = {"word": w}
        for mode, stemmer in stemmers.items():
            case[mode] = stemmer.stem(w)
        case["keepCase"] = stemmers["NLTK_EXTENSIONS"].stem(w, to_lowercase=False)
        stem_cases.append(case)

    # --- Texts for tokenize and scoring.
    def random_text(max_words):
        parts = []
        for _ in range(rng.randint(0, max_words)):
            r = rng.random()
            if r < 0.55:
                parts.append(rng.choice(vocab))
            elif r < 0.7:
                parts.append(rng.choice(STEM_WORDS))
            elif r < 0.8:
                parts.append(rng.choice(PUNCT))
            elif r < 0.87:
                parts.append(rng.choice(ODD_TEXT_BITS))
            elif r < 0.94:
                parts.append("\n" * rng.randint(1, 3))
            else:
                parts.append(str(rng.randint(0, 10 ** rng.randint(1, 6))))
        sep = rng.choice([" ", " ", " ", "", "  ", "\t"])
        return sep.join(parts)

    def paraphrase(text):
        toks = text.split(" ")
        out = []
        for t in toks:
            r = rng.random()
            if r < 0.12:
                continue
            if r < 0.22:
                out.append(rng.choice(vocab))
            elif r < 0.27:
                out.append(t + "s")
            elif r < 0.3:
                out.append(t.upper())
            elif r < 0.33:
                out.append(t + ".\n")
            else:
                out.append(t)
            if rng.random() < 0.05:
                out.append(rng.choice(toks))
        if rng.random() < 0.3:
            rng.shuffle(out)
        return " ".join(out)

    texts = ["", " ", "\n", "\n\n", "...", "\u4e2d\u6587", "one Two three", "one\n Two \nthree", "this is a test",
             "the friends had a meeting", "The quick brown fox jumps over the lazy dog",
             "The quick brown dog jumps on the log."]
    texts += ODD_TEXT_BITS
    while len(texts) < 300:
        r = rng.random()
        if r < 0.4:
            texts.append(random_text(40))
        elif r < 0.8:
            k = rng.randint(1, 6)
            texts.append(rng.choice(["\n", " ", "\n\n", ". "]).join(rng.sample(glosses, k)))
        else:
            texts.append(paraphrase(rng.choice(glosses)))
    tokenize_cases = []
    stemmer = porter.PorterStemmer()
    for t in texts:
        tokenize_cases.append({"text": t, "plain": tokenize.tokenize(t, None), "stemmed": tokenize.tokenize(t, stemmer)})

    types = ["rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum"]
    plain = rouge_scorer.RougeScorer(types, use_stemmer=False)
    stemmed = rouge_scorer.RougeScorer(types, use_stemmer=True)
    lsum_only = rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=False)

    pairs = [
        ("testing one two", "testing"), ("testing one two", ""), ("testing one two", "testing one"),
        ("testing one two", "testing two"), ("w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5"), ("w1 w2 w3 w4 w5", ""),
        ("", "w1"), ("w1 w2 w3 w4 w5", "/"), ("", ""), ("\n\n", "a\n\nb"), ("a a a a\nb", "a\na\na"),
        ("the cat the cat\nthe dog", "the cat\nthe cat the dog the"), ("A B C D E F", "F E D C B A"),
    ]
    while len(pairs) < 260:
        r = rng.random()
        if r < 0.35:
            g = "\n".join(rng.sample(glosses, rng.randint(1, 6)))
            pairs.append((g, paraphrase(g)))
        elif r < 0.55:
            g = rng.choice(glosses)
            pairs.append((g, "\n".join(paraphrase(g) for _ in range(rng.randint(1, 4)))))
        elif r < 0.75:
            pairs.append((random_text(30), random_text(30)))
        elif r < 0.85:
            base = random_text(15)
            pairs.append((base, base + rng.choice(["", " ", "\n", ".", "\n\n" + random_text(5)])))
        elif r < 0.95:
            pairs.append((rng.choice(texts), rng.choice(texts)))
        else:
            # long texts: hundreds of tokens across many lines (LCS tables of realistic summary size)
            g = "\n".join(rng.sample(glosses, rng.randint(20, 45)))
            pairs.append((g, "\n".join(paraphrase(x) for x in g.split("\n"))))
    score_cases = []
    for target, prediction in pairs:
        score_cases.append({
            "target": target,
            "prediction": prediction,
            "plain": score_dict(plain.score(target, prediction)),
            "stemmed": score_dict(stemmed.score(target, prediction)),
            "lsumOnly": score_dict(lsum_only.score(target, prediction)),
        })

    multi_cases = []
    for _ in range(60):
        base = rng.choice(glosses)
        targets = [paraphrase(base) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.2:
            targets.append(targets[0])
        prediction = paraphrase(base) if rng.random() < 0.8 else ""
        multi_cases.append({"targets": targets, "prediction": prediction,
                            "plain": score_dict(plain.score_multi(targets, prediction))})

    out = {
        "generator": "scripts/make-rouge-score-fixture.py",
        "seed": args.seed,
        "nltk": nltk.__version__,
        "stem": stem_cases,
        "tokenize": tokenize_cases,
        "score": score_cases,
        "scoreMulti": multi_cases,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(f"{len(stem_cases)} stems, {len(tokenize_cases)} texts, {len(score_cases)} pairs, {len(multi_cases)} multi -> {args.out}")


if __name__ == "__main__":
    main()
