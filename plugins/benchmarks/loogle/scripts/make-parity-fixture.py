#!/usr/bin/env python3
"""Parity fixture for @loomscope/benchmark-loogle from LooGLE's own Evaluation/ code.

    /usr/bin/python3 scripts/make-parity-fixture.py <LooGLE checkout> --rouge <rouge-1.0.1 dir> \
        --nltk-data <dir> [--seed N] [--out test/fixtures]

<LooGLE checkout>: bigai-nlco/LooGLE (Evaluation/automatic_eval.py and automatic_metrics.py are
imported; its LooGLE-testdata/ gives questions and references). `openai` and `bert_score` are not
installable here: empty stand-ins are put in sys.modules (get_bertscore is never called).
--rouge: pltrdy/rouge at tag 1.0.1. --nltk-data: a folder prepared as in packages/metrics'
make-nltk-fixtures.py (Debian's WordNet 3.0 + lexnames). Runs itself under PYTHONHASHSEED=0.
Writes <out>/Output/<task>_<model>.jsonl (official prediction files), <out>/parity.json (per pair
values and the dicts automatic_eval.py prints) and <out>/crash/ files with the exception each raises.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import types

ap = argparse.ArgumentParser()
ap.add_argument("loogle")
ap.add_argument("--rouge", required=True)
ap.add_argument("--nltk-data", required=True)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures"))
args = ap.parse_args()
if os.environ.get("PYTHONHASHSEED") != "0":
    sys.exit(subprocess.call([sys.executable] + sys.argv, env=dict(os.environ, PYTHONHASHSEED="0")))

os.environ["NLTK_DATA"] = args.nltk_data
sys.modules["openai"] = types.ModuleType("openai")
bs = types.ModuleType("bert_score")
bs.score = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("bert_score is not available"))
sys.modules["bert_score"] = bs
sys.path[:0] = [args.rouge, os.path.join(args.loogle, "Evaluation")]
import warnings  # noqa: E402
warnings.simplefilter("ignore")
import automatic_eval as ae  # noqa: E402

rng = random.Random(args.seed)
TASKS = ["shortdep_qa", "longdep_qa", "longdep_summarization", "shortdep_cloze"]


def load(task):
    with open(os.path.join(args.loogle, "LooGLE-testdata", task + ".jsonl"), encoding="utf-8") as f:
        return [json.loads(l) for l in f]


SYN = {"born": "birthed", "moved": "relocated", "family": "household", "big": "large", "house": "home", "paper": "article",
       "study": "survey", "show": "demonstrate", "method": "approach", "result": "outcome", "work": "job", "city": "metropolis"}
EXTRA = ["None", "", " ", "\n", "I don't know.", "中文答案：马德里。", "Madrid, Spain!!!", "THE ANSWER IS MADRID", "(a) 1 (b) 2",
         "He was born in Jerez de la Frontera", "Yes.", "No", "3", "1. seven", "Answer: He was born", "born born born born",
         "naïve café — résumé", "😀 emoji answer", "He\twas\nborn\r\nin Jerez"]


def perturb(text):
    words = text.split()
    r = rng.random()
    if r < 0.1:
        return rng.choice(EXTRA)
    out = []
    for w in words:
        x = rng.random()
        if x < 0.1:
            continue
        if x < 0.25 and w.lower().strip(".,") in SYN:
            out.append(SYN[w.lower().strip(".,")])
        elif x < 0.33:
            out.append(w + rng.choice(["s", "ed", "ing", ".", ",", "!"]))
        elif x < 0.4:
            out.append(w.upper())
        else:
            out.append(w)
    if rng.random() < 0.2:
        out = out[len(out) // 2:] + out[: len(out) // 2]
    if rng.random() < 0.1:
        out = out * 3
    s = " ".join(out)
    return s if rng.random() < 0.8 else s.replace(". ", ".\n")


def cloze_pred(answer):
    r = rng.random()
    keys = list(answer)
    if r < 0.15:
        return rng.choice(["", "None", "{}", "I cannot tell.", "{'<mask-0>': 'Bob'", '{"<mask-0>": null}', "[1, 2]", "{'a', 'b'}"])
    d = {}
    for k in keys:
        x = rng.random()
        if x < 0.5:
            d[k] = answer[k]
        elif x < 0.65:
            d[k] = answer[k].split()[0] + " Smith"
        elif x < 0.75:
            d[k] = answer[k].lower()
        elif x < 0.85:
            continue
        else:
            d[k] = "Unknown Person"
    if rng.random() < 0.1:
        d["<mask-99>"] = "Extra"
    style = rng.random()
    if style < 0.5:
        return repr(d)
    if style < 0.7:
        return json.dumps(d)
    if style < 0.8:
        return json.dumps(d, indent=2)
    if style < 0.9:
        return "Answer: " + repr(d)
    return "  " + repr(d) + "  # done"


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


outdir = os.path.join(args.out, "Output")
os.makedirs(outdir, exist_ok=True)
cases = {}
for task in TASKS:
    rows = []
    for rec in load(task):
        if rec["qa_pairs"] == "none":
            ref = rec["output"]
            preds = [perturb(ref[:600])]
            rows.append({"qa_pairs": "none", "llm_output": preds, "output": [ref[:1200]]})
            continue
        pairs = eval(rec["qa_pairs"])[: (12 if task == "shortdep_cloze" else 10)]
        preds = [cloze_pred(p["A"]) if task == "shortdep_cloze" else perturb(p["A"]) for p in pairs]
        rows.append({"qa_pairs": [{"Q": p["Q"], "A": p["A"]} for p in pairs], "llm_output": preds, "output": [p["A"] for p in pairs]})
    if task == "longdep_summarization":
        # more summaries: each reference against several predictions
        base = list(rows)
        for _ in range(6):
            for r in base:
                rows.append({"qa_pairs": "none", "llm_output": [perturb(r["output"][0][:800])], "output": r["output"]})
    name = "%s_fixture-model.jsonl" % task
    write(os.path.join(outdir, name), rows)
    functions = ["get_exact_match", "get_partial_match"] if task == "shortdep_cloze" else ["get_bleu_score", "get_rouge_score", "get_meteor_score"]
    score_result = {}
    for r in rows:
        score_result = ae.evaluation(r, score_result, functions, task)
    printed = ae.get_match_score(score_result, functions) if task == "shortdep_cloze" else ae.get_semantic_matching(score_result, functions)
    tolist = lambda v: [float(x) for x in v] if isinstance(v, (list, tuple)) else float(v)
    cases[name] = {"task": task, "per_pair": {f: [tolist(x) if not isinstance(x, tuple) or task != "shortdep_cloze" else list(x) for x in score_result[f]] for f in functions},
                   "printed": {k: tolist(v) for k, v in printed.items()}}

# Files on which the official script stops, and how.
crash = os.path.join(args.out, "crash")
os.makedirs(crash, exist_ok=True)
crash_cases = {
    "shortdep_qa_dots.jsonl": [{"qa_pairs": [{"Q": "q"}], "llm_output": ["..."], "output": ["ref"]}],
    "longdep_qa_noqapairs.jsonl": [{"question": [{"Q": "q"}], "llm_output": ["a"], "output": ["a"]}],
    "shortdep_qa_empty.jsonl": [],
    "shortdep_qa_short.jsonl": [{"qa_pairs": [{"Q": "q"}, {"Q": "r"}], "llm_output": ["a"], "output": ["a", "b"]}],
    "shortdep_cloze_listvalue.jsonl": [{"qa_pairs": [{"Q": "q"}], "llm_output": ["{'<mask-0>': ['Bob']}"], "output": [{"<mask-0>": "Bob"}]}],
    "longdep_summarization_deep.jsonl": [{"qa_pairs": "none", "llm_output": [" ".join("w%d" % k for k in range(1200))], "output": [" ".join("w%d" % k for k in range(1200))]}],
}
expected = {}
for name, rows in crash_cases.items():
    write(os.path.join(crash, name), rows)
    task = next(t for t in TASKS if name.startswith(t + "_"))
    functions = ["get_exact_match", "get_partial_match"] if task == "shortdep_cloze" else ["get_bleu_score", "get_rouge_score", "get_meteor_score"]
    try:
        sr = {}
        for r in rows:
            sr = ae.evaluation(r, sr, functions, task)
        ae.get_match_score(sr, functions) if task == "shortdep_cloze" else ae.get_semantic_matching(sr, functions)
        expected[name] = None
    except Exception as e:  # noqa: BLE001
        expected[name] = type(e).__name__

with open(os.path.join(args.out, "parity.json"), "w", encoding="utf-8") as f:
    json.dump({"seed": args.seed, "python_hash_seed": 0, "files": cases, "crash": expected}, f, ensure_ascii=False, indent=1)
    f.write("\n")
print({k: sum(len(v) for v in c["per_pair"].values()) // len(c["per_pair"]) for k, c in cases.items()}, expected)
