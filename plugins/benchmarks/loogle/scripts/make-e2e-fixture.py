#!/usr/bin/env python3
"""End-to-end fixture for `loom run loogle` (test/loogle in the e2e workspace), from LooGLE's own code.

    /usr/bin/python3 scripts/make-e2e-fixture.py <LooGLE checkout> --rouge <rouge-1.0.1 dir> \
        --nltk-data <dir> [--out ../../../test/loogle/fixtures]

Takes the official rows of test/fixtures/data (from LooGLE-testdata) for shortdep_qa,
longdep_summarization and shortdep_cloze, and scripts what a fake model answers (exact, partial,
wrong, unreadable cloze; each within its task's budget, counted in bytes as the testkit's tokenizer does) and what a fake GPT-4 judge replies ("True", "False", a malformed
"Maybe"; summary scores " 40\\n" and "85"). Then it runs the official Evaluation code on the
predictions in the official Output format: automatic_eval.py's `evaluation` with
get_semantic_matching / get_match_score, and llm_eval.py's `evaluation` and `get_accuracy` with an
`openai` stand-in that records every ChatCompletion.create call and answers as scripted.
Writes <out>/data/<task>.json, <out>/script.json (answers and verdicts), <out>/Output/ (the official
prediction files) and <out>/expected.json (the printed dicts and the judge requests, in order).
Runs itself under PYTHONHASHSEED=0 (METEOR scores sets).
"""
import argparse
import json
import os
import subprocess
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("loogle")
ap.add_argument("--rouge", required=True)
ap.add_argument("--nltk-data", required=True)
ap.add_argument("--out", default=os.path.join(HERE, "..", "..", "..", "..", "test", "loogle", "fixtures"))
args = ap.parse_args()
if os.environ.get("PYTHONHASHSEED") != "0":
    sys.exit(subprocess.call([sys.executable] + sys.argv, env=dict(os.environ, PYTHONHASHSEED="0")))
os.environ["NLTK_DATA"] = args.nltk_data

calls = []
verdicts = {}


def create(**kwargs):
    calls.append(kwargs)
    content = kwargs["messages"][-1]["content"]
    reply = next(v for k, v in verdicts.items() if k in content)
    return {"choices": [{"message": {"content": reply}}]}


openai = types.ModuleType("openai")
openai.ChatCompletion = types.SimpleNamespace(create=create)
sys.modules["openai"] = openai
bs = types.ModuleType("bert_score")
bs.score = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("bert_score is not available"))
sys.modules["bert_score"] = bs
sys.path[:0] = [args.rouge, os.path.join(args.loogle, "Evaluation")]
import warnings  # noqa: E402

warnings.simplefilter("ignore")
import automatic_eval as ae  # noqa: E402
import llm_eval as le  # noqa: E402

DATA = os.path.join(HERE, "..", "test", "fixtures", "data")
TASKS = ["shortdep_qa", "longdep_summarization", "shortdep_cloze"]
os.makedirs(os.path.join(args.out, "data"), exist_ok=True)
os.makedirs(os.path.join(args.out, "Output"), exist_ok=True)

script = {"model": [], "judge": []}
expected = {"automatic": {}, "llm": {}, "judge_requests": {}}
k = 0
for task in TASKS:
    rows = []
    with open(os.path.join(DATA, task + ".json"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if isinstance(r.get("qa_pairs"), str):
                rows.append(r)
    with open(os.path.join(args.out, "data", task + ".json"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    out_lines = []
    for n, r in enumerate(rows):
        if r["qa_pairs"] == "none":
            # Within the 500-token budget of a byte-level tokenizer: the reference's opening sentences.
            answer = r["output"][: r["output"].rindex(". ", 0, 480) + 1] if n == 0 else "This paper studies a many-valued semantics."
            # The fake model finds the document by its opening words.
            script["model"].append({"match": r["input"][:60], "answer": answer})
            verdict = "85" if n == 0 else " 40\n"
            script["judge"].append({"match": "Generated = " + answer[:40], "reply": verdict})
            verdicts["Generated = " + answer[:40]] = verdict
            out_lines.append({"qa_pairs": "none", "llm_output": [answer], "output": [r["output"]]})
            continue
        pairs = eval(r["qa_pairs"])
        preds = []
        for p in pairs:
            if task == "shortdep_cloze":
                a = p["A"]
                # Within the 50-token budget: the first mask right, one mask wrong, or no dict at all.
                first = next(iter(a))
                answer = [repr({first: a[first]}), json.dumps({first: "Nobody"}), "I cannot tell."][k % 3]
            else:
                answer = [p["A"], " ".join(p["A"].split()[: max(1, len(p["A"].split()) // 2)]), "I don't know."][k % 3]
                verdict = ["True", "False", "Maybe"][k % 3]
                script["judge"].append({"match": "Question: " + p["Q"] + "\n", "reply": verdict})
                verdicts["Question: " + p["Q"] + "\n"] = verdict
            script["model"].append({"match": p["Q"], "answer": answer})
            preds.append(answer)
            k += 1
        out_lines.append({"qa_pairs": [{"Q": p["Q"], "A": p["A"]} for p in pairs], "llm_output": preds, "output": [p["A"] for p in pairs]})
    name = task + "_e2e-model.jsonl"
    with open(os.path.join(args.out, "Output", name), "w", encoding="utf-8") as f:
        for line in out_lines:
            f.write(json.dumps(line) + "\n")
    functions = ["get_exact_match", "get_partial_match"] if task == "shortdep_cloze" else ["get_bleu_score", "get_rouge_score", "get_meteor_score"]
    sr = {}
    for line in out_lines:
        sr = ae.evaluation(line, sr, functions, task)
    printed = ae.get_match_score(sr, functions) if task == "shortdep_cloze" else ae.get_semantic_matching(sr, functions)
    expected["automatic"][name] = {key: ([float(x) for x in v] if isinstance(v, (list, tuple)) else float(v)) for key, v in printed.items()}
    if task != "shortdep_cloze":
        del calls[:]
        lr = {}
        for line in out_lines:
            lr = le.evaluation(line, lr, ["get_gpt4_score"], task)
        expected["llm"][name] = {key: float(v) for key, v in le.get_accuracy(lr, ["get_gpt4_score"], task).items()}
        expected["judge_requests"][name] = [c["messages"] for c in calls]
        assert all(c["model"] == "gpt-4" and c["temperature"] == 0.0 and c["top_p"] == 1 and c["max_tokens"] == 10 for c in calls)

with open(os.path.join(args.out, "script.json"), "w", encoding="utf-8") as f:
    json.dump(script, f, ensure_ascii=False, indent=1)
    f.write("\n")
with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as f:
    json.dump(expected, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(json.dumps(expected["automatic"]), json.dumps(expected["llm"]))
