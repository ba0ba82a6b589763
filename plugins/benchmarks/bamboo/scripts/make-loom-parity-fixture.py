#!/usr/bin/env python3
"""LOOM-Scope and 16k parity fixture for @loomscope/benchmark-bamboo.

    /usr/bin/python3 scripts/make-loom-parity-fixture.py <loom-dir> <BAMBOO checkout> [--seed N] [--out test/fixtures]

<loom-dir>: a folder holding LOOM-Scope 0.1's benchmarks/General/BAMBOO/utils/evaluation/matrics.py
(sdist), copied as it is. It is imported from a package tree built in a temporary folder so its
relative import resolves; its `.private_eval` package is BAMBOO's own private_eval (LOOM-Scope's
copy is not in the stored index), its problem file BAMBOO's real_all_eval_v3.jsonl.gz. Stand-ins:
`loguru`, `scripts.utils.ResultManager` (records what ConstructResultTable2 is given instead of
writing results.xlsx; its weighted Overall is @loomscope/metrics' `constructResultTable2Overall`,
checked against LOOM-Scope's code there), and the unused imports of private_eval. `os.listdir` is
sorted, so of a task's 4k and 16k files the one read last is known (4k).

Writes <out>/loom-preds/<task>_<4k|16k>.jsonl (adversarial predictions for the nine non-code tasks
at both lengths, a few private_eval completions and the problems they need) and <out>/loom-parity.json: what LOOM-Scope's
evaluate hands to ConstructResultTable2 (scores and counts), and the line the official evaluate.py
prints for each non-code file (the 16k files included).
"""
import argparse
import contextlib
import importlib
import io
import json
import os
import random
import shutil
import sys
import tempfile
import types

ap = argparse.ArgumentParser()
ap.add_argument("loom")
ap.add_argument("bamboo")
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--timeout", type=float, default=6.0)
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures"))
args = ap.parse_args()
for m in ["ipdb", "autopep8", "docformatter", "tqdm"]:
    sys.modules[m] = types.ModuleType(m)
sys.modules["tqdm"].tqdm = lambda x=None, **k: x if x is not None else []


class _Logger:
    def info(self, *a, **k):
        pass


loguru = types.ModuleType("loguru")
loguru.logger = _Logger()
sys.modules["loguru"] = loguru
tables = []
rm = types.ModuleType("scripts.utils.ResultManager")
rm.ConstructResultTable2 = lambda name, data, count, path, order_list=None, save_total=False: tables.append({"data": data, "count": count})
sys.modules["scripts"] = types.ModuleType("scripts")
sys.modules["scripts.utils"] = types.ModuleType("scripts.utils")
sys.modules["scripts.utils.ResultManager"] = rm

sys.path.insert(0, args.bamboo)
import evaluate as official  # noqa: E402
from private_eval import evaluation as pe  # noqa: E402
from private_eval import execution as ex  # noqa: E402

# ---- predictions ---------------------------------------------------------------------------------
rng = random.Random(args.seed)
QA = ["A", "B", "C", "D", "a", "b.", " C) because", "[D]", "Answer: A", "E", "\nB\nC", "d", "  c", "F", "1", "(A)", "Ä", "ß", "ǅ"]


def perm(n):
    p = list(range(n))
    rng.shuffle(p)
    return p


def rows_for(task):
    rows = []
    for _ in range(rng.randint(20, 35)):
        if task in ("meetingqa", "paperqa"):
            rows.append({"pred": rng.choice(QA), "answer": rng.choice("ABCD")})
        elif task == "altqa":
            a = str(rng.randint(1, 3000))
            rows.append({"pred": rng.choice([a, a + ".", " " + a + " ", a + "0", "The answer is " + a, "...", a + "..", a.upper()]), "answer": a})
        elif task in ("meetingpred", "showspred"):
            a = rng.choice(["Diane", "Mark Thomas", "John", "İlkay"])
            rows.append({"pred": rng.choice([a, a.upper(), a.lower(), a + ".", a + "\nmore", "Bob", "", " " + a]), "answer": a})
        elif task in ("senhallu", "abshallu"):
            rows.append({"pred": rng.choice(["Yes.", "No.", "yes", " YES", "Yeah", "no, yes", "", "The answer is yes", "YES!"]), "answer": rng.random() < 0.5})
        else:
            n = 5
            ans = perm(n)
            r = rng.random()
            pred = ans if r < 0.2 else perm(n) if r < 0.5 else [x + 1 for x in perm(n)] if r < 0.65 else perm(n)[: rng.randint(0, 4)] if r < 0.8 else perm(n) + [rng.randint(0, 9)] if r < 0.9 else [0, 0, 1, 1, 2]
            rows.append({"pred": pred, "answer": ans})
    return rows


preds_dir = os.path.join(args.out, "loom-preds")
if os.path.isdir(preds_dir):
    shutil.rmtree(preds_dir)
os.makedirs(preds_dir)
official_printed = {}
for task in ["meetingqa", "paperqa", "altqa", "meetingpred", "showspred", "senhallu", "abshallu", "reportsumsort", "showssort"]:
    for length in ["4k", "16k"]:
        name = "%s_%s.jsonl" % (task, length)
        path = os.path.join(preds_dir, name)
        with open(path, "w") as f:
            for r in rows_for(task):
                f.write(json.dumps(r) + "\n")
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            official.evaluate(path, task)
        official_printed[name] = buf.getvalue().strip()

gz = os.path.join(args.bamboo, "datasets", "real_all_eval_v3.jsonl.gz")
import gzip  # noqa: E402

numpy_problems = [json.loads(l) for l in gzip.open(gz, "rt") if l.strip() and "Numpy" in l[:40]]


def paraphrase(code):
    for old, new in ex.numpy_keywords.items():
        code = code.replace(old, new)
    return code


picked = rng.sample(numpy_problems, 8)
# Beside the predictions, the problems they ask about (LOOM-Scope skips it: its name ends in .gz).
with gzip.GzipFile(os.path.join(preds_dir, "real_all_eval_v3.jsonl.gz"), "wb", mtime=0) as f:
    f.write("".join(json.dumps(p) + "\n" for p in picked).encode("utf-8"))
with open(os.path.join(preds_dir, "private_eval_4k.jsonl"), "w") as f:
    for i, p in enumerate(picked):
        pred = [paraphrase(p["canonical_solution"][0]), p["canonical_solution"][0], " None"][i % 3]
        f.write(json.dumps({"index": i, "task_id": p["task_id"], "pred": pred}) + "\n")

# ---- LOOM-Scope's evaluate -------------------------------------------------------------------------
tree = tempfile.mkdtemp(prefix="loom-bamboo-")
evaluation = os.path.join(tree, "benchmarks", "General", "BAMBOO", "utils", "evaluation")
os.makedirs(evaluation)
for d in ["benchmarks", "benchmarks/General", "benchmarks/General/BAMBOO", "benchmarks/General/BAMBOO/utils", "benchmarks/General/BAMBOO/utils/evaluation"]:
    open(os.path.join(tree, d, "__init__.py"), "w").close()
shutil.copy(os.path.join(args.loom, "matrics.py"), evaluation)
shutil.copytree(os.path.join(args.bamboo, "private_eval"), os.path.join(evaluation, "private_eval"), ignore=shutil.ignore_patterns("__pycache__"))
shutil.copy(gz, os.path.join(tree, "benchmarks", "General", "BAMBOO", "utils", "real_all_eval_v3.jsonl.gz"))
sys.path.insert(0, tree)
mx = importlib.import_module("benchmarks.General.BAMBOO.utils.evaluation.matrics")
ev_mod = importlib.import_module("benchmarks.General.BAMBOO.utils.evaluation.private_eval.evaluation")
# evaluate_functional_correctness's default time limit, raised as for the official fixture.
_efc = ev_mod.evaluate_functional_correctness
mx.evaluate_functional_correctness = lambda sample_file, problem_file=None: _efc(sample_file, timeout=args.timeout, problem_file=problem_file)
_listdir = os.listdir
mx.os.listdir = lambda p: sorted(_listdir(p))
data_dir = tempfile.mkdtemp(prefix="loom-bamboo-preds-")
for n in os.listdir(preds_dir):
    shutil.copy(os.path.join(preds_dir, n), data_dir)
cwd = os.getcwd()
os.chdir(tree)
with contextlib.redirect_stdout(io.StringIO()):
    mx.evaluate(data_dir, data_dir)
os.chdir(cwd)
fixture = {"seed": args.seed, "timeout": args.timeout, "scores": tables[0]["data"]["BAMBOO"], "count": tables[0]["count"], "official_printed": official_printed}
with open(os.path.join(args.out, "loom-parity.json"), "w", encoding="utf-8") as f:
    json.dump(fixture, f, ensure_ascii=False, indent=1)
    f.write("\n")
shutil.rmtree(tree)
shutil.rmtree(data_dir)
print(json.dumps(fixture["scores"]), fixture["count"])
