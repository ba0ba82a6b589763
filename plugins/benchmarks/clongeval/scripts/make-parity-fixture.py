#!/usr/bin/env python3
"""Generate CLongEval parity fixtures by running the official scorer on synthetic predictions.

    /usr/bin/python3 scripts/make-parity-fixture.py /path/to/CLongEval --rouge /path/to/rouge-1.0.1 \
        --jsonlines /path/to/jsonlines-4.0.0 --seed 1 --out test/fixtures

/path/to/CLongEval: a checkout of github.com/zexuanqiu/CLongEval (eval.py, metrics.py,
post_processing_for_stacked_tasks.py); nothing else of it is read. --rouge: pltrdy/rouge at tag
1.0.1; --jsonlines: wbolster/jsonlines 4.0.0 (eval.py imports it; it needs attrs: Debian
python3-attr). jieba 0.42.1 from Debian (python3-jieba).

Every answer and every prediction is made up here from the seed: answers in the shapes the
official data has (short phrases, 《titles》, multi-paragraph summaries, "新闻 N：类别" lines,
"段落ID，错别字，正确字" lines, passages with mixed punctuation, table cells with numbers and
currency), predictions as a model might write them and as the official regexes and cuts treat
specially (prefixes, trailing punctuation, blank lines, full-width and Arabic-Indic digits, the
"类别名：" variants, "问题：" and "键：" cuts, partial and reordered answers), plus the official
crash cases. No model output or data from the official repository is used.

Writes under --out:
  parity-seed<N>.json                      per-sample cases: dataset, prediction, answer and what
                                           metrics.py's function returned (or the exception it raised)
  inference_results-seed<N>/<model>/<dataset>/<size>.jsonl
                                           an official-format predictions folder per model name
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
# Two of eval.py's --model_name choices: the typo-answer rewrite applies to every model but the first.
MODELS = ["gpt4-turbo-128k", "moonshot-v1"]

# Generic vocabulary for made-up Chinese text.
NOUNS = ["村庄", "河流", "老人", "少年", "城市", "学校", "朋友", "母亲", "商人", "船长", "医生", "书店", "花园", "火车站",
         "山谷", "故事", "信件", "钥匙", "森林", "市场", "工厂", "图书馆", "月亮", "湖泊", "将军", "画家", "邻居", "客栈"]
VERBS = ["发现", "离开", "回到", "寻找", "讨论", "决定", "拜访", "记得", "修理", "写下", "等待", "买下", "告诉", "打开"]
ADJS = ["古老的", "安静的", "遥远的", "热闹的", "破旧的", "明亮的", "神秘的", "年轻的", "寒冷的", "美丽的"]
NAMES = ["张明", "李华", "王芳", "赵磊", "陈静", "刘洋", "孙悦", "周涛", "吴敏", "郑凯"]
TITLES = ["岁月如歌", "远方的灯塔", "小城故事", "海边的信", "时间的河", "星空之下", "秋天的约定", "山那边"]
CATEGORIES = ["体育", "娱乐", "家居", "房产", "教育", "时政", "游戏", "科技", "财经"]  # the prompt's nine categories
CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 2000)]
EN_WORDS = ["Airport", "International", "Motor", "Racing", "Developments", "River", "County", "Proof", "United",
            "Season", "League", "Park", "Central", "Museum", "Station", "North", "Hall"]


def sentence(rng):
    return rng.choice(NAMES) + "在" + rng.choice(ADJS) + rng.choice(NOUNS) + rng.choice(VERBS) + "了" + rng.choice(NOUNS) + "。"


def paragraph(rng, n):
    return "".join(sentence(rng) for _ in range(n))


def make_answer(rng, dataset):
    if dataset == "long_story_qa":
        return rng.choice([rng.choice(ADJS) + rng.choice(NOUNS) + "。", rng.choice(NOUNS) + "的" + rng.choice(NOUNS),
                           "%d年" % rng.randint(1, 99), rng.choice(NAMES), "第%s层楼。" % rng.choice("一二三四五"),
                           rng.choice(NAMES) + rng.choice(VERBS) + rng.choice(NOUNS) + "。", "ABC公司", "３个" + rng.choice(NOUNS)])
    if dataset == "long_conversation_memory":
        return rng.choice(["《%s》" % rng.choice(TITLES), "如何" + rng.choice(VERBS) + rng.choice(NOUNS),
                           rng.choice(NOUNS) + "和" + rng.choice(NOUNS), "%d月%d日" % (rng.randint(1, 12), rng.randint(1, 28))])
    if dataset == "long_story_summarization":
        paras = [paragraph(rng, rng.randint(2, 8)) for _ in range(rng.randint(1, 4))]
        return "\n\n".join(paras)
    if dataset == "stacked_news_labeling":
        return "\n".join("新闻 %d：%s" % (i, rng.choice(CATEGORIES)) for i in range(1, rng.randint(3, 30)))
    if dataset == "stacked_typo_detection":
        ids = sorted(rng.sample(range(0, 45), rng.randint(1, 12)))
        return "\n".join("%d，%s，%s" % (i, rng.choice(CJK), rng.choice(CJK)) for i in ids)
    if dataset == "key_passage_retrieval":
        bits = [paragraph(rng, rng.randint(1, 3)), "【解释】:" + rng.choice(NOUNS), "电话 86-0571-%d" % rng.randint(1000000, 9999999),
                "邮件 user%d@example.com" % rng.randint(1, 999), "“%s”" % rng.choice(TITLES), "(%s)" % rng.choice(NOUNS),
                "价格：%d.%02d元" % (rng.randint(1, 999), rng.randint(0, 99)), "pinyin: dì nán zǐ", "，".join(rng.sample(NOUNS, 3))]
        return "".join(rng.sample(bits, rng.randint(2, 5)))
    # table_querying
    return rng.choice([" ".join(rng.sample(EN_WORDS, rng.randint(1, 3))), "{:,}".format(rng.randint(1000, 9999999)),
                       "$%d.%02d" % (rng.randint(1, 999), rng.randint(0, 99)), "%d%%" % rng.randint(0, 100),
                       "%d / %d (%d%%)" % (rng.randint(1, 50), rng.randint(50, 100), rng.randint(0, 100)), rng.choice(NAMES),
                       "%d-%d" % (rng.randint(0, 9), rng.randint(0, 9)), str(rng.randint(1900, 2024))])


def model_response(rng, dataset, a):
    """A plausible model reply around the answer: right, partly right, or wrong."""
    if dataset in ("long_story_qa", "long_conversation_memory"):
        return rng.choice([a, "答案：" + a, a + "\n" + sentence(rng), sentence(rng), "根据对话记录，" + a + "。", a[: max(1, len(a) // 2)]])
    if dataset == "long_story_summarization":
        sents = [s + "。" for s in a.replace("\n", "").split("。") if s]
        rng.shuffle(sents)
        keep = sents[: rng.randint(0, len(sents))]
        return "".join(keep + [sentence(rng) for _ in range(rng.randint(0, 4))]) or sentence(rng)
    if dataset == "stacked_news_labeling":
        lines = []
        for line in a.split("\n"):
            n, cat = line[3:].split("：")
            if rng.random() < 0.2:
                cat = rng.choice(CATEGORIES)
            lines.append("新闻%s，%s" % (n.strip(), cat))
        return "\n".join(lines)
    if dataset == "stacked_typo_detection":
        lines = a.split("\n")
        return "\n".join(l if rng.random() < 0.8 else "%s，%s，%s" % (l.split("，")[0], rng.choice(CJK), rng.choice(CJK)) for l in lines)
    if dataset == "key_passage_retrieval":
        return rng.choice([a, a[: len(a) * 2 // 3], a + "。", paragraph(rng, 1)])
    return rng.choice([a, "答案是" + a, a.lower(), rng.choice(NAMES)])


def mutate(rng, dataset, answer, response):
    """Predictions around the response: formats the official regexes and cuts treat specially."""
    a = str(answer)
    options = [response, response, a, "", " ", "\n", response + "\n问题：下一个问题？", "问题：" + a, "  " + a + "  ",
               a + "。", a.upper(), "答案：" + a, a + "\n" + response, response[: len(response) // 2]]
    if dataset == "stacked_news_labeling":
        lines = a.split("\n")
        options += ["\n".join(l.replace("新闻 ", "新闻").replace("：", "，") for l in lines),
                    "\n".join(l.replace("新闻 ", "新闻").replace("：", "，类别名：") for l in lines),
                    "\n".join(l.replace("新闻 ", "新闻").replace("：", "，类别名1：") for l in lines),
                    "\n".join(l.replace("：", "，") for l in lines),
                    "\n".join(l.replace("新闻 ", "新闻\u3000") for l in lines),
                    "\n".join(l.replace("新闻 1", "新闻 \u0661") for l in lines),
                    "\n".join(l.replace("新闻 2", "新闻 \uff12") for l in lines),
                    "\n\n".join(lines), "新闻1：体育", "新闻1，体育 新闻2，财经"]
    if dataset == "stacked_typo_detection":
        lines = a.split("\n")
        options += ["\n".join("段落ID：" + l for l in lines),
                    "\n".join("段落ID：%s，错别字1，%s，正确字1，%s" % tuple((l.split("，") + ["", "", ""])[:3]) for l in lines),
                    "\n".join("段落ID：%s，错别字：%s，正确字：%s" % tuple((l.split("，") + ["", "", ""])[:3]) for l in lines),
                    "\n".join(l.replace("，", ",") for l in lines),
                    "\n".join(l + "（同音）" for l in lines),
                    "\n\n".join(lines), "段落ID：3\n错别字：灾\n正确字：站", "\n".join(reversed(lines)),
                    lines[0] if lines else "", a + "。"]
    if dataset == "key_passage_retrieval":
        options += [a + "\n键：" + a, a.replace("，", ","), "“" + a + "”", a[:-3], a + "abc", "……", "。", a + "\U0001F600"]
    if dataset == "table_querying":
        options += [a.replace(",", ""), "答案是" + a + "。", a.replace("$", "＄"), "N/A", a.replace("%", "％")]
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
    per["long_story_summarization"] = 14
    for dataset in DATASETS:
        for _ in range(per[dataset]):
            answer = make_answer(rng, dataset)
            pred = mutate(rng, dataset, answer, model_response(rng, dataset, answer))
            cases.append({"dataset": dataset, "prediction": pred, "answer": answer})
    # Hand-made edge cases, the official crash cases among them.
    cases += [
        {"dataset": "long_story_summarization", "prediction": "...", "answer": "摘要。"},  # rouge: ValueError
        {"dataset": "long_story_summarization", "prediction": "摘要", "answer": ""},  # rouge: ValueError
        {"dataset": "long_story_summarization", "prediction": "  ", "answer": "一个摘要"},
        {"dataset": "long_story_summarization", "prediction": "。。。", "answer": "一个摘要"},
        {"dataset": "key_passage_retrieval", "prediction": "。", "answer": "！"},  # ZeroDivisionError
        {"dataset": "key_passage_retrieval", "prediction": "值\U0001F600", "answer": "值"},
        {"dataset": "key_passage_retrieval", "prediction": "", "answer": "值"},
        {"dataset": "stacked_news_labeling", "prediction": "新闻1，体育", "answer": "新闻1：体育"},  # AttributeError
        {"dataset": "stacked_news_labeling", "prediction": "", "answer": "新闻 1：体育"},
        {"dataset": "stacked_news_labeling", "prediction": "新闻\u06f1，体育", "answer": "新闻 \u06f1：体育"},
        {"dataset": "stacked_typo_detection", "prediction": "", "answer": "1，甲，乙"},
        {"dataset": "stacked_typo_detection", "prediction": "1，甲，乙\n\n2，丙，丁", "answer": "1，甲，乙\n2，丙，丁"},
        {"dataset": "table_querying", "prediction": "答案是42。", "answer": 42},
        {"dataset": "table_querying", "prediction": "0.5", "answer": 0.5},
        {"dataset": "table_querying", "prediction": "", "answer": ""},
        {"dataset": "long_conversation_memory", "prediction": "", "answer": "《小王子》"},
        {"dataset": "long_story_qa", "prediction": "ＡＢＣ", "answer": "abc"},
        {"dataset": "long_story_qa", "prediction": "\n\n答案", "answer": "答案"},
    ]
    for c in cases:
        try:
            v = fns[c["dataset"]](prediction=c["prediction"], ground_truth=c["answer"])
            c["expected"] = {"score": v}
        except Exception as e:  # the official scorer raises: record which exception
            c["expected"] = {"error": type(e).__name__}

    # Official-format folders: per model, per dataset, sizes; error-free cases only, some sizes missing,
    # some HTTP_ERROR / UNKNOW_ERROR lines (eval.py skips them).
    work = tempfile.mkdtemp(prefix="clongeval-eval-")
    try:
        for entry in ("eval.py", "metrics.py", "post_processing_for_stacked_tasks.py"):
            os.symlink(os.path.join(official, entry), os.path.join(work, entry))
        for model in MODELS:
            for dataset in DATASETS:
                good = [c for c in cases if c["dataset"] == dataset and "score" in c["expected"] and isinstance(c["answer"], str)]
                if dataset == "stacked_typo_detection":
                    good = [c for c in good if len(c["answer"].split("，")) >= 3]
                sizes = SIZES if rng.random() < 0.6 else rng.sample(SIZES, rng.randint(1, 2))
                for size in sizes:
                    rows = rng.sample(good, min(len(good), rng.randint(1, 5)))
                    lines = []
                    for i, c in enumerate(rows):
                        lines.append({"id": "%s-%s-%d" % (dataset, size, i), "query": "", "answer": c["answer"],
                                      "response_" + model: c["prediction"]})
                    if rng.random() < 0.25:
                        lines.insert(rng.randint(0, len(lines)), {"id": "err", "query": "", "answer": "x",
                                                                   "response_" + model: rng.choice(["HTTP_ERROR 500", "UNKNOW_ERROR"])})
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
