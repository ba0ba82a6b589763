#!/usr/bin/env python3
"""Generate CLongEval parity fixtures by running the official scorer.

    /usr/bin/python3 scripts/make-parity-fixture.py /path/to/CLongEval --rouge /path/to/rouge-1.0.1 \
        --jsonlines /path/to/jsonlines-4.0.0 --seed 1 --out test/fixtures

/path/to/CLongEval: a checkout of github.com/zexuanqiu/CLongEval (eval.py, metrics.py,
post_processing_for_stacked_tasks.py, and its inference_results/, whose real answers and model
responses seed the cases). --rouge: pltrdy/rouge at tag 1.0.1; --jsonlines: wbolster/jsonlines 4.0.0
(eval.py imports it; it needs attrs: Debian python3-attr). jieba 0.42.1 from Debian (python3-jieba).

Writes under --out:
  parity-seed<N>.json                      per-sample cases: dataset, prediction, answer and what
                                           metrics.py's function returned (or the exception it raised)
  inference_results-seed<N>/<model>/<dataset>/<size>.jsonl
                                           an official-format predictions folder per model
  eval_results-seed<N>/<model>.jsonl       what eval.py appended for that folder, run per dataset in
                                           eval.sh's order, byte for byte
The official code is imported / run from the given paths only, never copied.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

DATASETS = ["long_story_qa", "long_conversation_memory", "long_story_summarization", "stacked_news_labeling",
            "stacked_typo_detection", "key_passage_retrieval", "table_querying"]  # eval.sh order
SIZES = ["small", "medium", "large"]
MODELS = ["gpt4-turbo-128k", "moonshot-v1"]


def real_rows(official, dataset, n, rng):
    rows = []
    for model in MODELS:
        for size in SIZES:
            p = os.path.join(official, "inference_results", model, dataset, size + ".jsonl")
            if not os.path.exists(p):
                continue
            with open(p, encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    rows.append((d["answer"], d["response_" + model]))
    rng.shuffle(rows)
    return rows[:n]


def mutate(rng, dataset, answer, response):
    """Predictions around the real ones: formats the official regexes and cuts treat specially."""
    a = str(answer)
    options = [response, a, "", " ", "\n", response + "\n问题：下一个问题？", "问题：" + a, "  " + a + "  ",
               a + "。", a.upper(), "答案：" + a, a + "\n" + response, response[: len(response) // 2]]
    if dataset == "stacked_news_labeling":
        lines = a.split("\n")
        options += ["\n".join(l.replace("新闻 ", "新闻").replace("：", "，") for l in lines),
                    "\n".join(l.replace("新闻 ", "新闻").replace("：", "，类别名：") for l in lines),
                    "\n".join(l.replace("新闻 ", "新闻").replace("：", "，类别名1：") for l in lines),
                    "\n".join(l.replace("：", "，") for l in lines),
                    "\n".join(l.replace("新闻 ", "新闻 ") for l in lines),
                    "\n".join(l.replace("新闻 ", "新闻\u3000") for l in lines),
                    "\n".join(l.replace("新闻 1", "新闻 ١") for l in lines),
                    "\n\n".join(lines), "新闻1：体育", "新闻1，体育 新闻2，财经"]
    if dataset == "stacked_typo_detection":
        lines = a.split("\n")
        options += ["\n".join("段落ID：" + l for l in lines),
                    "\n".join("段落ID：%s，错别字1，%s，正确字1，%s" % tuple((l.split("，") + ["", "", ""])[:3]) for l in lines),
                    "\n".join("段落ID：%s，错别字：%s，正确字：%s" % tuple((l.split("，") + ["", "", ""])[:3]) for l in lines),
                    "\n".join(l.replace("，", ",") for l in lines),
                    "\n".join(l + "（同音）" for l in lines),
                    "\n\n".join(lines), "段落ID：3\n错别字：灾\n正确字：站", "\n".join(reversed(lines)),
                    lines[0] if lines else ""]
    if dataset == "key_passage_retrieval":
        options += [a + "\n键：" + a, a.replace("，", ","), "“" + a + "”", a[:-3], a + "abc", "……", "。"]
    if dataset == "table_querying":
        options += [a.replace(",", ""), "答案是" + a + "。", a.replace("$", "＄"), "N/A"]
    return options[rng.randrange(len(options))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("clongeval")
    ap.add_argument("--rouge", required=True)
    ap.add_argument("--jsonlines", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures"))
    args = ap.parse_args()
    official = os.path.abspath(args.clongeval)
    sys.path[:0] = [os.path.abspath(args.rouge), os.path.abspath(args.jsonlines), official]
    sys.setrecursionlimit(10000)  # as eval.py
    import jieba
    jieba.setLogLevel(60)
    import metrics  # official metrics.py

    fns = {"long_story_qa": metrics.qa_f1_zh_score, "long_conversation_memory": metrics.qa_f1_zh_score,
           "long_story_summarization": metrics.rouge_zh_score, "stacked_news_labeling": metrics.news_labeling_zh_score,
           "stacked_typo_detection": metrics.typo_detection_zh_score,
           "key_passage_retrieval": metrics.retrieval_zh_edit_score, "table_querying": metrics.table_querying_match_score}
    rng = random.Random(args.seed)
    cases = []
    per = {d: 24 for d in DATASETS}
    per["long_story_summarization"] = 12  # summaries are long; keep the fixture small
    for dataset in DATASETS:
        for answer, response in real_rows(official, dataset, per[dataset], rng):
            pred = mutate(rng, dataset, answer, response)
            if dataset == "long_story_summarization" and rng.random() < 0.5:
                answer = answer[:200]
                pred = pred[:300]
            cases.append({"dataset": dataset, "prediction": pred, "answer": answer})
    # Hand-made edge cases.
    cases += [
        {"dataset": "long_story_summarization", "prediction": "...", "answer": "摘要。"},
        {"dataset": "long_story_summarization", "prediction": "摘要", "answer": ""},
        {"dataset": "long_story_summarization", "prediction": "  ", "answer": "一个摘要"},
        {"dataset": "key_passage_retrieval", "prediction": "。", "answer": "！"},
        {"dataset": "key_passage_retrieval", "prediction": "值\U0001F600", "answer": "值"},
        {"dataset": "stacked_news_labeling", "prediction": "新闻1，体育", "answer": "新闻1：体育"},
        {"dataset": "stacked_news_labeling", "prediction": "", "answer": "新闻 1：体育"},
        {"dataset": "table_querying", "prediction": "答案是42。", "answer": 42},
        {"dataset": "table_querying", "prediction": "0.5", "answer": 0.5},
        {"dataset": "long_conversation_memory", "prediction": "", "answer": "《小王子》"},
        {"dataset": "long_story_qa", "prediction": "ＡＢＣ", "answer": "abc"},
    ]
    for c in cases:
        try:
            v = fns[c["dataset"]](prediction=c["prediction"], ground_truth=c["answer"])
            c["expected"] = {"score": v}
        except Exception as e:  # the official scorer raises: record which exception
            c["expected"] = {"error": type(e).__name__}

    # Official-format folders: per model, per dataset, sizes; error-free cases only, some sizes missing,
    # one HTTP_ERROR line (eval.py skips it).
    work = tempfile.mkdtemp(prefix="clongeval-eval-")
    try:
        for entry in ("eval.py", "metrics.py", "post_processing_for_stacked_tasks.py"):
            os.symlink(os.path.join(official, entry), os.path.join(work, entry))
        layout = {}
        for model in MODELS:
            for dataset in DATASETS:
                good = [c for c in cases if c["dataset"] == dataset and "score" in c["expected"] and isinstance(c["answer"], str)]
                if dataset == "stacked_typo_detection":
                    good = [c for c in good if len(c["answer"].split("，")) >= 3]
                sizes = SIZES if rng.random() < 0.6 else rng.sample(SIZES, rng.randint(1, 2))
                for size in sizes:
                    rows = rng.sample(good, min(len(good), rng.randint(1, 4)))
                    lines = []
                    for i, c in enumerate(rows):
                        lines.append({"id": "%s-%s-%d" % (dataset, size, i), "query": "", "answer": c["answer"],
                                      "response_" + model: c["prediction"]})
                    if rng.random() < 0.2:
                        lines.append({"id": "err", "query": "", "answer": "x", "response_" + model: "HTTP_ERROR 500"})
                    d = os.path.join(work, "inference_results", model, dataset)
                    os.makedirs(d, exist_ok=True)
                    with open(os.path.join(d, size + ".jsonl"), "w", encoding="utf-8") as f:
                        for l in lines:
                            f.write(json.dumps(l, ensure_ascii=False) + "\n")  # as inference.py writes
            for dataset in DATASETS:  # eval.sh: one invocation per dataset, appending
                env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path[:2]))
                run = subprocess.run([sys.executable, "eval.py", "--model_name", model, "--datasets", dataset],
                                     cwd=work, capture_output=True, text=True, env=env)
                if run.returncode != 0:
                    raise SystemExit(run.stderr)
        out_inf = os.path.join(args.out, "inference_results-seed%d" % args.seed)
        out_eval = os.path.join(args.out, "eval_results-seed%d" % args.seed)
        shutil.rmtree(out_inf, ignore_errors=True)
        shutil.rmtree(out_eval, ignore_errors=True)
        shutil.copytree(os.path.join(work, "inference_results"), out_inf)
        shutil.copytree(os.path.join(work, "eval_results"), out_eval)
    finally:
        shutil.rmtree(work)
    with open(os.path.join(args.out, "parity-seed%d.json" % args.seed), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "cases": cases}, f, ensure_ascii=False, indent=1)
    print("%d cases" % len(cases))


if __name__ == "__main__":
    main()
