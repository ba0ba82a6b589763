#!/usr/bin/python3
"""Parity fixtures for @loomscope/benchmark-longbench, made by running LongBench's own code.

    /usr/bin/python3 scripts/make-parity-fixture.py /path/to/THUDM-LongBench --rouge /path/to/rouge-1.0.1 \
        [--loom /path/to/loom-scope] --seed 1 --out test/fixtures/parity.json --official-dir test/fixtures/official

/path/to/THUDM-LongBench: a checkout of github.com/THUDM/LongBench (its LongBench/metrics.py,
LongBench/eval.py and LongBench/config/*.json are used); --rouge: pltrdy/rouge at tag 1.0.1;
--loom: a LOOM-Scope source tree (loom_scope 0.1) holding
benchmarks/General/LongBench/utils/evaluation/{eval,metrics}.py, benchmarks/utils/Tools.py and
scripts/utils/ResultManager.py (loguru is replaced by a stand-in, and DataFrame.to_excel records
its rows instead of writing xlsx).

Debian 12: python3-jieba (0.42.1), python3-fuzzywuzzy (0.18.0), python3-numpy. python-Levenshtein
is hidden, as in LongBench's environment (its requirements.txt installs fuzzywuzzy alone), so
fuzz.ratio takes its difflib path.

What it writes (only inputs and the numbers / files the official code produced):
- --out: per-sample cases (dataset, pred, answers, all_classes) with the score eval.py's loop
  gives (at eval.py's call depth, which decides rouge's recursion cut-off) and the score LOOM-Scope's
  loop gives (at its depth); sha256 of every official prompt and the max-length tables; and the
  scenario list below.
- --official-dir: prediction folders (pred/<model>, pred_e/<model>, loom/<model>) with the
  result.json / length.json / Total.txt the real scripts wrote, and crash scenarios with the
  exception they ended with. eval.py is run as `python3 eval.py --model M [--e]` in a subprocess,
  with os.listdir sorted (eval.py walks os.listdir order; we walk sorted order).
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import types
import warnings

warnings.simplefilter("ignore")
ap = argparse.ArgumentParser()
ap.add_argument("longbench")
ap.add_argument("--rouge", required=True)
ap.add_argument("--loom")
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--out", required=True)
ap.add_argument("--official-dir")
ap.add_argument("--data-fixture", help="folder of official-format data/<task>.jsonl files: their prompts are formatted as pred.py does")
args = ap.parse_args()

LB = os.path.join(os.path.abspath(args.longbench), "LongBench")
ROUGE = os.path.abspath(args.rouge)
HIDE = tempfile.mkdtemp(prefix="lb-hide-")
os.makedirs(os.path.join(HIDE, "Levenshtein"))
with open(os.path.join(HIDE, "Levenshtein", "__init__.py"), "w") as f:
    f.write('raise ImportError("python-Levenshtein is not part of LongBench\'s environment")\n')
with open(os.path.join(HIDE, "sitecustomize.py"), "w") as f:
    f.write("import os\n_listdir = os.listdir\nos.listdir = lambda p='.': sorted(_listdir(p))\n")
sys.path[:0] = [HIDE, LB, ROUGE]

import difflib  # noqa: E402
import jieba  # noqa: E402
jieba.setLogLevel(60)
from fuzzywuzzy import fuzz  # noqa: E402
assert fuzz.SequenceMatcher is difflib.SequenceMatcher
import metrics as M  # noqa: E402  (LongBench/metrics.py)

# eval.py's table and rule, read from the file itself so a changed eval.py changes the fixture
EVAL_SRC = open(os.path.join(LB, "eval.py"), encoding="utf-8").read()
eval_ns = {}
exec(compile(EVAL_SRC.split("def parse_args")[0], "eval.py", "exec"), eval_ns)
dataset2metric = eval_ns["dataset2metric"]
FIRST_LINE = ["trec", "triviaqa", "samsum", "lsht"]
assert 'if dataset in ["trec", "triviaqa", "samsum", "lsht"]:' in EVAL_SRC


def per_sample(dataset, prediction, ground_truths, all_classes):
    # eval.py scorer's loop body; called straight from module level so the Python stack under
    # dataset2metric[...] is <module> -> per_sample, as <module> -> scorer in eval.py.
    score = 0.
    if dataset in FIRST_LINE:
        prediction = prediction.lstrip('\n').split('\n')[0]
    for ground_truth in ground_truths:
        score = max(score, dataset2metric[dataset](prediction, ground_truth, all_classes=all_classes))
    return score


def loom_depth(k, *a):
    # LOOM-Scope: <module> -> main -> evaluate_benchmark -> evaluate_data -> evaluate -> scorer
    return per_sample(*a) if k == 0 else loom_depth(k - 1, *a)


def loom_main(evaluate, folder, out):
    # LOOM-Scope's stack above evaluate(): <module> -> main -> evaluate_benchmark -> evaluate_data
    return loom_evaluate_benchmark(evaluate, folder, out)


def loom_evaluate_benchmark(evaluate, folder, out):
    return loom_evaluate_data(evaluate, folder, out)


def loom_evaluate_data(evaluate, folder, out):
    return evaluate(folder, out)


rng = random.Random(args.seed)

# ---------------------------------------------------------------- case pools
EN_QA = [
    (["Paris"], ["Paris", "paris.", "The city of Paris", "It is Paris, France.", "Lyon", "", "PARIS!!!", "Paris\nLondon", "\n\nParis", "the the the", "İstanbul Paris"]),
    (["the Eiffel Tower", "Eiffel Tower"], ["Eiffel Tower", "the eiffel tower", "An Eiffel tower", "Tower", "Eiffel-Tower", "a b c Eiffel"]),
    (["yes"], ["yes", "Yes.", "no", "yes yes", "Yes, it is.", "unanswerable"]),
    (["unanswerable"], ["unanswerable", "Unanswerable.", "The question is unanswerable", "n/a"]),
    (["1,000 meters", "1000 m"], ["1000 m", "1,000 meters", "about 1000 meters", "1 000 m", "1000"]),
    (["Émile Zola"], ["émile zola", "Emile Zola", "ÉMILE ZOLA", "Zola", "Émile\u00a0Zola", "Émile\u2003Zola"]),
    (["Straße"], ["STRASSE", "straße", "Strasse", "ß"]),
    ([], ["anything"]),
    (["a an the"], ["", "a", "the answer"]),
]
ZH_QA = [
    (["北京清华大学"], ["清华大学。", "北京清华大学", "北京 清华 大学", "我在北京清华大学读书", "", "上海交通大学", "ＡＢＣ清华", "清华大学\n北京"]),
    (["2023年10月1日"], ["2023年10月1日", "二〇二三年十月一日", "10月1日", "2023-10-01", "2023年"]),
    (["GPT-4的API价格下降了50%"], ["GPT-4价格下降50%", "价格下降了百分之五十", "GPT-4o", "API"]),
    (["李白", "李太白"], ["李白", "是李白。", "杜甫", "李太白和杜甫"]),
]
SUMMARY_REFS = [
    "The committee approved the budget. Members debated the new policy for three hours. The vote passed narrowly.",
    "Amanda baked cookies and will bring Jerry some tomorrow.",
    "The report finds that federal agencies lack consistent guidance on cloud security. GAO recommends that OMB issue updated policy.",
]
SUMMARY_PREDS = [
    "The committee approved the budget after three hours of debate.",
    "Amanda baked cookies. She will bring some to Jerry tomorrow.",
    "",
    "...",
    " . . . ",
    "The report finds that federal agencies lack consistent guidance on cloud security.",
    "Summary:\nThe committee approved the budget.\nThe vote passed narrowly.",
    "\n\nAmanda baked cookies and will bring Jerry some tomorrow.\nDialogue: ...",
    "GAO recommends that OMB issue updated policy",
    "the the the the the",
    "Members debated. Members debated. Members debated.",
]
ZH_SUMMARY_REFS = [
    "会议讨论了明年的预算安排，大家一致同意增加研发投入。",
    "本次会议主要讨论了产品上线的时间表和测试计划。",
]
ZH_SUMMARY_PREDS = [
    "会议讨论了预算，同意增加研发投入。",
    "会议讨论了产品上线时间表。",
    "",
    "。。。",
    "The meeting discussed the budget.",
    "会议讨论了明年的预算安排，大家一致同意增加研发投入。",
]
TREC_CLASSES = ["Abbreviation", "Expression abbreviated", "Animal", "Animal product", "Product", "Color", "Date",
                "Other", "Other entity", "Other location", "Individual", "City", "Country", "Number of something",
                "Description of something", "Definition of something"]
TREC_CASES = [
    ("Animal", ["Animal", "Type: Animal", "Animal product", "Animal, Product", "Animal product\nAnimal", "\nAnimal\nColor",
                "Color", "", "animal", "Other entity and Animal", "AnimalAnimal"]),
    ("Animal product", ["Animal product", "Animal", "Product", "Animal product Product", "Product Animal product"]),
    ("Other", ["Other", "Other entity", "Other location", "Other Other entity", "Other entity Other location Other"]),
    ("Date", ["Date", "Date Color City", "Definition of something", "Expression abbreviated Abbreviation Date"]),
    ("Expression abbreviated", ["Expression abbreviated", "Abbreviation", "Expression abbreviated Abbreviation"]),
]
# classification_score removes from the list it iterates: the item after a removed one is skipped,
# and list.remove drops the first equal item
QUIRK_CLASSES = [
    (["Other", "Oth", "Other entity", "entity", "Color"], "Other entity",
     ["Other entity", "Other entity Color", "Oth Other entity entity", "Color", "Oth"]),
    (["Other", "Other", "Other entity"], "Other entity", ["Other entity", "Other"]),
    (["", "Date", "Dat"], "Date", ["Date", "Dat", "nothing"]),
]
LSHT_CLASSES = ["农业、农村", "军事", "体育", "文化休闲娱乐", "娱乐", "经济", "国际", "政治", "科技", "社会", "教育", "财经"]
LSHT_CASES = [
    ("体育", ["体育", "类别：体育", "体育 军事", "\n体育\n军事", "军事", "", "体育体育"]),
    ("文化休闲娱乐", ["文化休闲娱乐", "娱乐", "文化休闲娱乐 娱乐", "娱乐 文化休闲娱乐 体育"]),
    ("娱乐", ["娱乐", "文化休闲娱乐", "娱乐新闻"]),
    ("经济", ["经济", "财经", "经济 财经 科技"]),
]
RETR_EN = [
    ("Paragraph 12", ["Paragraph 12", "Paragraph 12, not Paragraph 3", "12", "The answer is Paragraph 012", "Paragraph １２",
                      "Paragraph 12 and 12", "", "None", "Paragraph 1", "Paragraph ١٢", "paragraph 12 (12)"]),
    ("Paragraph 3", ["Paragraph 3", "3", "Paragraph 30", "3 3 3", "Paragraph three"]),
    ("The answer is Paragraph 7 or Paragraph 8", ["7", "8", "7 8"]),
]
RETR_ZH = [
    ("段落5", ["段落5", "段落 5", "答案是段落12和段落5", "第五段", "", "段落５", "5"]),
    ("段落12", ["段落12", "段落1", "段落12段落12"]),
]
COUNT = [
    ("17", ["17", "There are 17 unique paragraphs out of 30", "", "seventeen", "17.0", "０17", "17 17 18", "The final answer is: 17\n"]),
    ("3", ["3", "03", "3, 3", "33", "three (3)"]),
]
CODE = [
    ("        return x + 1", ["        return x + 1", "```python\n        return x + 1\n```", "# comment\n    return x + 1",
                            "// note\nreturn x+1;", "\n\n  return x + 1", "# a\n# b\n// c", "", "return x + 2  # fix",
                            "`return x + 1`\nreturn x + 1", "\r\n        return x + 1"]),
    ("public static void main(String[] args) {", ["public static void main(String[] args) {", "public void main() {",
                                                  "/* doc */ public static void main(String[] args){", "}"]),
    ("", ["", "x", "# only"]),
    ("self.assertEqual(" + ", ".join(f"value_{i}" for i in range(40)) + ")",
     ["self.assertEqual(" + ", ".join(f"value_{i}" for i in range(38)) + ")", "self.assertEqual(a, b)",
      "self.assertTrue(" + ", ".join(f"value_{i}" for i in range(40)) + ")"]),
]


def words(n, prefix="w"):
    return " ".join(f"{prefix}{i}" for i in range(n))


cases = []


def add(dataset, pred, answers, all_classes=None):
    cases.append({"dataset": dataset, "pred": pred, "answers": answers, "all_classes": all_classes})


for d in ["narrativeqa", "qasper", "multifieldqa_en", "hotpotqa", "2wikimqa", "musique", "triviaqa"]:
    for answers, preds in EN_QA:
        for p in rng.sample(preds, min(len(preds), 3 if d != "triviaqa" else 5)):
            add(d, p, answers)
for answers, preds in ZH_QA:
    for p in preds:
        add("multifieldqa_zh", p, answers)
for d in ["gov_report", "qmsum", "multi_news", "samsum"]:
    for p in rng.sample(SUMMARY_PREDS, 6):
        add(d, p, [rng.choice(SUMMARY_REFS)])
for d in ["dureader", "vcsum"]:
    for p in ZH_SUMMARY_PREDS:
        add(d, p, [rng.choice(ZH_SUMMARY_REFS)])
# rouge 1.0.1's recursive LCS: identical n-word texts around Python's recursion limit, for the
# English (3 frames under get_scores) and Chinese (4) depth, and LOOM-Scope's (7 / 8)
for n in [980, 984, 985, 986, 987, 988, 989, 990, 991, 992]:
    add("gov_report", words(n), [words(n)])
    add("vcsum", words(n, "z"), [words(n, "z")])
for label, preds in TREC_CASES:
    for p in preds:
        add("trec", p, [label], TREC_CLASSES)
for classes, label, preds in QUIRK_CLASSES:
    for p in preds:
        add("trec", p, [label], classes)
for label, preds in LSHT_CASES:
    for p in preds:
        add("lsht", p, [label], LSHT_CLASSES)
for gt, preds in RETR_EN:
    for p in preds:
        add("passage_retrieval_en", p, [gt])
for gt, preds in RETR_ZH:
    for p in preds:
        add("passage_retrieval_zh", p, [gt])
for gt, preds in COUNT:
    for p in preds:
        add("passage_count", p, [gt])
for d in ["lcc", "repobench-p"]:
    for gt, preds in CODE:
        for p in preds:
            add(d, p, [gt])
# random mutations for unseen variety
ALPH = "abcdefg xyz.,!?的了是\n#`/"
for _ in range(60):
    c = dict(rng.choice(cases))
    p = list(c["pred"])
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        if op < 0.4 and p:
            del p[rng.randrange(len(p))]
        else:
            p.insert(rng.randint(0, len(p)), rng.choice(ALPH))
    add(c["dataset"], "".join(p), c["answers"], c["all_classes"])

# ---------------------------------------------------------------- per-sample scores
if __name__ == "__main__":
    for c in cases:
        c["official"] = per_sample(c["dataset"], c["pred"], c["answers"], c["all_classes"])
    for c in cases:
        c["loom"] = loom_depth(3, c["dataset"], c["pred"], c["answers"], c["all_classes"])

    # per-sample errors eval.py raises
    errors = []
    for d, p, gt, cls in [
        ("passage_retrieval_en", "Paragraph 1", "paragraph 1", None),
        ("passage_retrieval_zh", "段落1", "第1段", None),
        ("trec", "Animal", "Animal", None),
    ]:
        try:
            per_sample(d, p, [gt], cls)
            errors.append({"dataset": d, "pred": p, "answers": [gt], "all_classes": cls, "error": None})
        except Exception as e:  # noqa: BLE001
            errors.append({"dataset": d, "pred": p, "answers": [gt], "all_classes": cls, "error": type(e).__name__})

    config = {}
    for name in ["dataset2prompt.json", "dataset2maxlen.json", "model2maxlen.json"]:
        with open(os.path.join(LB, "config", name), encoding="utf-8") as f:
            config[name] = json.load(f)
    prompts_sha256 = {k: hashlib.sha256(v.encode("utf-8")).hexdigest() for k, v in config["dataset2prompt.json"].items()}

    # pred.py: prompt = prompt_format.format(**json_obj) for the data fixture's valid records
    formatted = []
    if args.data_fixture:
        for name in sorted(os.listdir(args.data_fixture)):
            task = name[: -len(".jsonl")]
            dataset = task[:-2] if task.endswith("_e") else task
            with open(os.path.join(args.data_fixture, name), encoding="utf-8") as f:
                for index, line in enumerate(f):
                    obj = json.loads(line)
                    if not isinstance(obj.get("answers"), list):
                        continue
                    formatted.append({"task": task, "index": index,
                                      "prompt": config["dataset2prompt.json"][dataset].format(**obj)})

    # ------------------------------------------------------------ official prediction folders
    scenarios = []
    if args.official_dir:
        root = os.path.abspath(args.official_dir)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)

        def write_dir(rel, files):
            path = os.path.join(root, rel)
            os.makedirs(path, exist_ok=True)
            for name, lines in files.items():
                with open(os.path.join(path, name), "w", encoding="utf-8") as f:
                    for line in lines:
                        f.write(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) + "\n")
            return path

        def run_eval(kind, model, e):
            work = os.path.join(root, kind)
            env = dict(os.environ, PYTHONPATH=os.pathsep.join([HIDE, ROUGE]))
            cmd = ["/usr/bin/python3", os.path.join(LB, "eval.py"), "--model", model] + (["--e"] if e else [])
            proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
            folder = os.path.join(work, "pred_e" if e else "pred", model)
            result = os.path.join(folder, "result.json")
            error = None
            if proc.returncode != 0:
                last = [l for l in proc.stderr.strip().splitlines() if l.strip()][-1]
                error = last.split(":")[0].strip()
                assert not os.path.exists(result), "eval.py crashed after writing result.json?"
                with open(os.path.join(folder, "expected-error.txt"), "w") as f:
                    f.write(error + "\n")
            else:
                os.rename(result, os.path.join(folder, "expected-result.json"))
            scenarios.append({"kind": kind, "model": model, "e": e,
                              "dir": os.path.relpath(folder, os.path.dirname(os.path.abspath(args.out))),
                              "error": error})

        by_ds = {}
        for c in cases:
            by_ds.setdefault(c["dataset"], []).append(c)

        def line(c, length=None):
            obj = {"pred": c["pred"], "answers": c["answers"], "all_classes": c["all_classes"]}
            if length is not None:
                obj["length"] = length
            return obj

        # v1: every dataset
        write_dir("main/pred/all-datasets", {f"{d}.jsonl": [line(c, rng.randint(100, 20000)) for c in cs] for d, cs in by_ds.items()})
        run_eval("main", "all-datasets", False)
        # LongBench-E: lengths across the buckets and the boundaries; one dataset with no 8k+ line
        lengths = [0, 100, 3999, 4000, 4001, 7999, 8000, 12000, 31000]
        e_files = {}
        for d in ["qasper", "multifieldqa_en", "hotpotqa", "2wikimqa", "gov_report", "multi_news", "trec", "triviaqa",
                  "samsum", "passage_count", "passage_retrieval_en", "lcc", "repobench-p"]:
            cs = by_ds[d]
            if d == "hotpotqa":
                e_files[f"{d}.jsonl"] = [line(c, rng.choice([10, 5000])) for c in cs]
            else:
                e_files[f"{d}.jsonl"] = [line(c, rng.choice(lengths)) for c in cs]
        # a file where some lines lack "length": zip() stops at the shorter list
        cs = by_ds["musique"]
        e_files["musique.jsonl"] = [line(c, None if i in (1, 4) else 9000 + i) for i, c in enumerate(cs)]
        write_dir("e/pred_e/all-e", e_files)
        run_eval("e", "all-e", True)
        # quirks that do not crash
        q = {
            # all_classes from the last line: the first lines carry none
            "trec.jsonl": [dict(line(c), all_classes=None) for c in by_ds["trec"][:-1]] + [line(by_ds["trec"][-1])],
            # a string answers field is iterated character by character
            "passage_count.jsonl": [{"pred": "1 7 17", "answers": "17", "all_classes": None}],
            # a file name with more dots: the dataset is the part before the first one
            "qasper.extra.jsonl": [line(c) for c in by_ds["qasper"][:4]],
            # not a prediction file
            "notes.txt": ["not read\n"],
            # answers empty for a dataset eval.py does not know: no metric lookup, score 0
            "unknown_dataset.jsonl": [{"pred": "x", "answers": [], "all_classes": None}],
        }
        write_dir("quirks/pred/quirks", q)
        run_eval("quirks", "quirks", False)
        # an empty file after a non-empty one, in LongBench-E: NaN buckets
        write_dir("e-empty/pred_e/empty-bucket", {"hotpotqa.jsonl": [line(c, 100) for c in by_ds["hotpotqa"][:3]], "lcc.jsonl": []})
        run_eval("e-empty", "empty-bucket", True)
        # crashes: eval.py stops and writes nothing
        crash = {
            "empty": {"qasper.jsonl": [line(c) for c in by_ds["qasper"][:2]], "trec.jsonl": []},
            "first-empty": {"2wikimqa.jsonl": [], "qasper.jsonl": [line(c) for c in by_ds["qasper"][:2]]},
            "blank-line": {"qasper.jsonl": [line(by_ds["qasper"][0]), "\n", line(by_ds["qasper"][1])]},
            "unknown-dataset": {"qasper.jsonl": [line(c) for c in by_ds["qasper"][:2]], "nosuch.jsonl": [{"pred": "x", "answers": ["y"], "all_classes": None}]},
            "retrieval-no-number": {"passage_retrieval_en.jsonl": [{"pred": "Paragraph 1", "answers": ["paragraph 1"], "all_classes": None}]},
            "missing-pred": {"qasper.jsonl": [{"answers": ["y"], "all_classes": None}]},
            "classification-null": {"trec.jsonl": [{"pred": "Animal", "answers": ["Animal"], "all_classes": None}]},
        }
        for name, files in crash.items():
            write_dir(f"crash-{name}/pred/{name}", files)
            run_eval(f"crash-{name}", name, False)

        # LOOM-Scope's evaluation on its prediction layout (LEN = prompt tokens)
        if args.loom:
            loom_root = os.path.abspath(args.loom)
            sys.path.insert(0, loom_root)
            stub = types.ModuleType("loguru")

            class _Logger:
                def remove(self, *a, **k):
                    pass

                def add(self, *a, **k):
                    pass

                def info(self, *a, **k):
                    pass

            stub.logger = _Logger()
            sys.modules["loguru"] = stub
            import pandas as pd

            excel_rows = {}

            def to_excel(self, path, index=False):
                excel_rows[os.path.basename(path)] = self.values.tolist()

            pd.DataFrame.to_excel = to_excel
            from benchmarks.General.LongBench.utils.evaluation import eval as loom_eval

            lens = [10, 8000, 8001, 16001, 32001, 64001, 130000, 130001]
            loom_files = {f"{d}.jsonl": [dict(line(c), LEN=rng.choice(lens)) for c in cs] for d, cs in by_ds.items()}
            folder = write_dir("loom/prediction/all-datasets", loom_files)
            out = os.path.join(root, "loom", "results", "all-datasets")
            os.makedirs(out, exist_ok=True)
            _ld = os.listdir
            os.listdir = lambda p=".": sorted(_ld(p))
            try:
                loom_main(loom_eval.evaluate, folder, out)
                error = None
            except Exception as e:  # noqa: BLE001
                error = type(e).__name__
            os.listdir = _ld
            with open(os.path.join(out, "excel-rows.json"), "w", encoding="utf-8") as f:
                json.dump(excel_rows, f, ensure_ascii=False, indent=1)
            scenarios.append({"kind": "loom", "model": "all-datasets", "e": False,
                              "dir": os.path.relpath(folder, os.path.dirname(os.path.abspath(args.out))),
                              "out": os.path.relpath(out, os.path.dirname(os.path.abspath(args.out))), "error": error})

    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({
            "longbench": "THUDM/LongBench LongBench/ (eval.py, metrics.py, config/)",
            "python": sys.version.split()[0],
            "seed": args.seed,
            "prompts_sha256": prompts_sha256,
            "dataset2maxlen": config["dataset2maxlen.json"],
            "model2maxlen": config["model2maxlen.json"],
            "cases": cases,
            "errors": errors,
            "prompts": formatted,
            "scenarios": scenarios,
        }, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases, {len(scenarios)} scenarios", file=sys.stderr)
