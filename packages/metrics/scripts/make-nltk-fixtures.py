#!/usr/bin/env python3
"""Parity fixtures for the nltk ports (BLEU, METEOR, PorterStemmer, WordNet morphy) and for CPython's
str hash and set order, from Debian 12's python3-nltk 3.8 and Python 3.11.

    /usr/bin/python3 scripts/make-nltk-fixtures.py --nltk-data DIR [--seed N] [--out FILE]

DIR holds corpora/wordnet: the WordNet 3.0 files of Debian's wordnet-base (/usr/share/wordnet)
linked in, plus the `lexnames` file nltk's reader insists on (written by --make-nltk-data DIR,
since Debian does not ship it). The script re-runs itself with PYTHONHASHSEED=0 so that the
set-order-dependent METEOR values are reproducible; a second process with PYTHONHASHSEED=12345
gives the seeded set orders. Only inputs and nltk's outputs are written.
"""
import argparse
import json
import os
import random
import subprocess
import sys

LEXNAMES = ("adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
            "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
            "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
            "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change "
            "verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation "
            "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather "
            "adj.ppl").split()
LEX_POS = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}


def make_nltk_data(target, wordnet="/usr/share/wordnet"):
    d = os.path.join(target, "corpora", "wordnet")
    os.makedirs(d, exist_ok=True)
    for name in os.listdir(wordnet):
        if name.startswith(("data.", "index.")) or name.endswith(".exc") or name == "cntlist.rev":
            link = os.path.join(d, name)
            if not os.path.exists(link):
                os.symlink(os.path.join(wordnet, name), link)
    with open(os.path.join(d, "lexnames"), "w") as f:
        for i, n in enumerate(LEXNAMES):
            f.write("%02d\t%s\t%d\n" % (i, n, LEX_POS[n.split(".")[0]]))


BASE_TEXT = (
    "It is a guide to action which ensures that the military always obeys the commands of the party . "
    "He was born in Jerez de la Frontera, in the Province of Cadiz in Andalucia, Spain. He later moved to Madrid "
    "with his family. The quick brown fox jumped over the lazy dogs while the children were running and laughing. "
    "Researchers studied the effects of climate change on agricultural production in developing countries. "
    "The company announced record profits, but investors remained cautious about future growth. "
    "She bought three apples, two oranges and a large watermelon at the market yesterday afternoon. "
    "The committee's decision was criticised by several members, who argued that it ignored the evidence. "
    "Distinction and quadratic base change for regular supercuspidal representations of a reductive group. "
    "I want you to act as a long dialogue completer; the answer is the speaker's name. "
    "Timberlake performed with Britney Spears in Kentwood, Louisiana, when she was twelve years old."
).split()
EXTRA = ["dying", "lying", "tying", "skies", "sky", "news", "innings", "outings", "cannings", "howe", "proceed",
         "exceed", "succeed", "generously", "happily", "relational", "conditional", "rational", "valenci",
         "hesitanci", "digitizer", "conformabli", "radicalli", "differentli", "vileli", "analogousli",
         "vietnamization", "predication", "operator", "feudalism", "decisiveness", "hopefulness", "callousness",
         "formaliti", "sensitiviti", "sensibiliti", "triplicate", "formative", "formalize", "electriciti",
         "electrical", "hopeful", "goodness", "revival", "allowance", "inference", "airliner", "gyroscopic",
         "adjustable", "defensible", "irritant", "replacement", "adjustment", "dependent", "adoption",
         "homologou", "communism", "activate", "angulariti", "homologous", "effective", "bowdlerize", "probate",
         "rate", "cease", "controll", "roll", "caresses", "ponies", "ties", "caress", "cats", "feed", "agreed",
         "plastered", "bled", "motoring", "sing", "conflated", "troubled", "sized", "hopping", "tanned",
         "falling", "hissing", "fizzed", "failing", "filing", "happy", "sky", "ies", "ied", "cries", "died",
         "spied", "flies", "geese", "mice", "children", "women", "went", "better", "best", "worse", "ran",
         "x*d", "a*d", "bbb", "yyy", "y", "by", "syzygy", "queueing", "fulli", "logi", "analogi", "apologi",
         "tried", "ideally", "feudally", "crying", "running", "ate", "eaten", "oxen", "cacti", "aardvarks",
         "brothers", "brethren", "is", "are", "was", "were", "been", "does", "doing", "did", "has", "had",
         "dogs", "dog", "canines", "hound", "hounds", "car", "automobile", "machine", "auto", "motorcar",
         "big", "large", "huge", "small", "little", "quick", "fast", "rapid", "speedy", "happy", "glad",
         "buy", "purchase", "bought", "purchased", "begin", "start", "commence", "began", "started", "end",
         "finish", "terminate", "ended", "finished", "child", "kid", "youngster", "kids", "children",
         "study", "studied", "studies", "examine", "examined", "analyse", "analyze", "analysed", "analyzed",
         "Spain.", "Madrid,", "(the", "end)", "party.", "it's", "o'clock", "a.m.", "U.S.", "us", "USA", "usa",
         "new_york", "united_states", "ice_cream", "don't", "can't", "e-mail", "email", "co-operate",
         "naïve", "café", "ÉCOLE", "İstanbul", "straße", "ﬁne", "中文", "日本語", "😀", "", "-", "--", "...",
         "ses", "ves", "xes", "zes", "ches", "shes", "men", "ies", "es", "ed", "ing", "er", "est",
         "boxes", "buzzes", "churches", "dishes", "firemen", "wolves", "knives", "busses", "glasses",
         "bigger", "biggest", "nicer", "nicest", "fairer", "fairest", "eseseseses", "singing", "seeing",
         "ss", "s", "sss", "ssss", "aies", "bies", "bied", "cied", "eed", "ees", "skiing", "helped"]


def tokens_from(rng, vocab):
    return [rng.choice(vocab) for _ in range(rng.randint(0, 25))]


def perturb(rng, ref, synonyms):
    out = []
    for w in ref:
        r = rng.random()
        if r < 0.12:
            continue
        if r < 0.30 and w.lower() in synonyms and synonyms[w.lower()]:
            out.append(rng.choice(synonyms[w.lower()]))
        elif r < 0.40:
            out.append(w + rng.choice(["s", "ed", "ing", "er", "ly", ".", ",", "'s"]))
        elif r < 0.47:
            out.append(w.upper() if rng.random() < 0.5 else w.capitalize())
        elif r < 0.52:
            out.append(rng.choice(EXTRA))
        else:
            out.append(w)
    if rng.random() < 0.3 and len(out) > 3:
        k = rng.randint(1, len(out) - 1)
        out = out[k:] + out[:k]
    if rng.random() < 0.1:
        out = out + out[: rng.randint(0, len(out))]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nltk-data", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "nltk.json"))
    ap.add_argument("--set-orders-only", action="store_true")
    args = ap.parse_args()
    if os.environ.get("PYTHONHASHSEED") != "0" and not args.set_orders_only:
        env = dict(os.environ, PYTHONHASHSEED="0")
        sys.exit(subprocess.call([sys.executable] + sys.argv, env=env))
    make_nltk_data(args.nltk_data)
    rng = random.Random(args.seed)

    if args.set_orders_only:
        lists = json.load(sys.stdin)
        json.dump([list(set(x)) for x in lists], sys.stdout)
        return

    os.environ["NLTK_DATA"] = args.nltk_data
    import nltk
    nltk.data.path.insert(0, args.nltk_data)
    from nltk.corpus import wordnet as wn
    from nltk.stem.porter import PorterStemmer
    from nltk.translate.bleu_score import corpus_bleu, sentence_bleu
    from nltk.translate.meteor_score import single_meteor_score, meteor_score
    import warnings
    warnings.simplefilter("ignore")
    assert nltk.__version__ == "3.8", nltk.__version__

    lemma_words = sorted({l for l in wn.all_lemma_names() if "_" not in l})
    vocab = BASE_TEXT + EXTRA + rng.sample(lemma_words, 400)
    synonyms = {}
    for w in set(x.lower() for x in BASE_TEXT + EXTRA):
        synonyms[w] = sorted({n for s in wn.synsets(w) for n in s.lemma_names() if "_" not in n and n != w})

    # Porter in its three modes.
    porter_words = sorted(set(EXTRA + BASE_TEXT + rng.sample(lemma_words, 1200) + [w + s for w in rng.sample(lemma_words, 200) for s in ["s", "ed", "ing", "ly", "ness", "ation"]]))
    stemmers = {m: PorterStemmer(m) for m in ["NLTK_EXTENSIONS", "MARTIN_EXTENSIONS", "ORIGINAL_ALGORITHM"]}
    porter = [{"word": w, **{m: s.stem(w) for m, s in stemmers.items()}} for w in porter_words]

    # Synonym sets METEOR builds (names that can match a lowercased token).
    syn_words = sorted(set(x.lower() for x in EXTRA + BASE_TEXT) | set(rng.sample(lemma_words, 800)) | {w + "s" for w in rng.sample(lemma_words, 200)})
    wordnet_cases = []
    for w in syn_words:
        names = {n for s in wn.synsets(w) for n in (l.name() for l in s.lemmas()) if n.find("_") < 0}
        names = sorted({n for n in names if n == n.lower()} | {w})
        forms = {p: wn._morphy(w.lower(), p) for p in "nvar"}
        wordnet_cases.append({"word": w, "synonyms": names, "morphy": forms})

    # BLEU and METEOR on token lists.
    pairs = []
    for k in range(700):
        ref = BASE_TEXT[rng.randint(0, 60):][: rng.randint(0, 40)] if rng.random() < 0.8 else tokens_from(rng, vocab)
        hyp = perturb(rng, ref, synonyms) if rng.random() < 0.85 else tokens_from(rng, vocab)
        if k % 50 == 0:
            hyp = []
        if k % 77 == 0:
            ref, hyp = list(ref), list(ref)
        pairs.append((ref, hyp))
    weights = {"bleu1": (1, 0, 0, 0), "bleu4": (0, 0, 0, 1), "bleu": (0.25, 0.25, 0.25, 0.25), "bleu2": (0.5, 0.5)}
    bleu_cases = []
    for ref, hyp in pairs:
        row = {}
        for name, w in weights.items():
            v = sentence_bleu([ref], hyp, weights=w)
            row[name] = float(v)
            row[name + "_is_int"] = isinstance(v, int)
        bleu_cases.append(row)
    corpus_cases = []
    for _ in range(40):
        chosen = rng.sample(pairs, rng.randint(1, 8))
        refs = [[r, perturb(rng, r, synonyms)] for r, _ in chosen]
        hyps = [h for _, h in chosen]
        corpus_cases.append({"references": refs, "hypotheses": hyps, "bleu": float(corpus_bleu(refs, hyps)),
                             "bleu1": float(corpus_bleu(refs, hyps, weights=(1, 0, 0, 0)))})
    meteor_cases = []
    for ref, hyp in pairs:
        sref, shyp = set(ref), set(hyp)
        meteor_cases.append({"meteor": single_meteor_score(ref, hyp), "set_meteor": single_meteor_score(sref, shyp)})
    multi = [{"references": [a, b], "hypothesis": h, "meteor": meteor_score([a, b], h)}
             for (a, h), (b, _) in zip(pairs[:60], pairs[60:120])]

    # CPython str hash and set order, seed 0 here and 12345 in a child process.
    set_lists = [[rng.choice(vocab) for _ in range(rng.randint(0, 60))] for _ in range(120)]
    set_lists += [[w, w.upper(), w + "é", w + "中", w + "😀"] for w in rng.sample(vocab, 30)]
    env = dict(os.environ, PYTHONHASHSEED="12345")
    seeded = json.loads(subprocess.run([sys.executable, os.path.abspath(__file__), "--nltk-data", args.nltk_data, "--set-orders-only"],
                                       input=json.dumps(set_lists), env=env, capture_output=True, text=True, check=True).stdout)
    set_cases = [{"items": x, "order0": list(set(x)), "order12345": o, "hash0": [str(hash(w)) for w in x[:3]]}
                 for x, o in zip(set_lists, seeded)]

    out = {"nltk": nltk.__version__, "python": sys.version.split()[0], "seed": args.seed,
           "porter": porter, "wordnet": wordnet_cases, "pairs": [{"reference": r, "hypothesis": h} for r, h in pairs], "bleu": bleu_cases, "corpusBleu": corpus_cases,
           "meteor": meteor_cases, "meteorMulti": multi, "sets": set_cases}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)
        f.write("\n")
    print("wrote", args.out, {k: len(v) for k, v in out.items() if isinstance(v, list)})


main()
