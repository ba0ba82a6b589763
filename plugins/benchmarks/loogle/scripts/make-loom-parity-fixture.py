#!/usr/bin/env python3
"""LOOM-Scope parity fixture for @loomscope/benchmark-loogle (`--protocol loom`).

    /usr/bin/python3 scripts/make-loom-parity-fixture.py <loom-dir> --rouge <rouge-1.0.1 dir> \
        --nltk-data <dir> [--seed N] [--out test/fixtures]

<loom-dir>: a folder holding LOOM-Scope 0.1's LooGLE scorer as published on PyPI
(loom_scope-0.1 wheel: benchmarks/General/LooGLE/utils/evaluation/automatic_eval.py; sdist:
.../automatic_metrics.py), copied as they are. They are imported from a package tree built in a
temporary folder, so their relative imports resolve. Stand-ins, never scoring anything:
`bert_score` (BERTScorer, whose value is never compared), `loguru`, `tqdm`, and
`scripts.utils.ResultManager` (records the tables it is given instead of writing xlsx).
`benchmarks/utils/Tools.py` is not in the stored index: `categorize_length` is written out below
from the thresholds @loomscope/metrics verified against the wheel's RECORD. `os.listdir` is
sorted, so the length buckets sum files in the order our scorer reads them.

The predictions are LOOM-Scope's format ({llm_output, output, LEN}) made from the official-format
fixture files (<out>/Output/*.jsonl, made by make-parity-fixture.py): every pair of the QA and
summary files, with LEN drawn from every length bucket and its edges. Writes <out>/loom/<task>.jsonl
and <out>/loom-parity.json (the per-task and per-length tables handed to ConstructResultTable2,
and length.json as written).
"""
import argparse
import importlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import types

ap = argparse.ArgumentParser()
ap.add_argument("loom")
ap.add_argument("--rouge", required=True)
ap.add_argument("--nltk-data", required=True)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures"))
args = ap.parse_args()
if os.environ.get("PYTHONHASHSEED") != "0":
    sys.exit(subprocess.call([sys.executable] + sys.argv, env=dict(os.environ, PYTHONHASHSEED="0")))
os.environ["NLTK_DATA"] = args.nltk_data
sys.path.insert(0, args.rouge)

# ---- stand-ins ---------------------------------------------------------------------------------
bs = types.ModuleType("bert_score")


class BERTScorer:
    def __init__(self, **kwargs):
        pass

    def score(self, refs, hyps):
        return [0.0], [0.0], [0.0]


bs.BERTScorer = BERTScorer
bs.score = lambda *a, **k: None
sys.modules["bert_score"] = bs


class _Logger:
    def remove(self, *a, **k):
        pass

    def add(self, *a, **k):
        pass

    def info(self, *a, **k):
        pass


loguru = types.ModuleType("loguru")
loguru.logger = _Logger()
sys.modules["loguru"] = loguru


class _Bar:
    def __init__(self, it=None, **k):
        self.it = it

    def __iter__(self):
        return iter(self.it)

    def set_description(self, *a):
        pass


tqdm = types.ModuleType("tqdm")
tqdm.tqdm = _Bar
sys.modules["tqdm"] = tqdm

tables = []
rm = types.ModuleType("scripts.utils.ResultManager")
rm.ConstructResultTable2 = lambda name, data, count, path, order_list=None, save_total=False: tables.append({"file": os.path.basename(path), "data": data, "count": count})
rm.ConstructResultTable = rm.ConstructResultTable2
sys.modules["scripts"] = types.ModuleType("scripts")
sys.modules["scripts.utils"] = types.ModuleType("scripts.utils")
sys.modules["scripts.utils.ResultManager"] = rm

TOOLS = '''
def categorize_length(length):
    if length > 130000:
        return ">128k"
    elif length > 64000:
        return "64k-128k"
    elif length > 32000:
        return "32k-64k"
    elif length > 16000:
        return "16k-32k"
    elif length > 8000:
        return "8k-16k"
    else:
        return "0-8k"
'''

tree = tempfile.mkdtemp(prefix="loom-loogle-")
evaluation = os.path.join(tree, "benchmarks", "General", "LooGLE", "utils", "evaluation")
os.makedirs(evaluation)
os.makedirs(os.path.join(tree, "benchmarks", "utils"))
for d in ["benchmarks", "benchmarks/General", "benchmarks/General/LooGLE", "benchmarks/General/LooGLE/utils", "benchmarks/General/LooGLE/utils/evaluation", "benchmarks/utils"]:
    open(os.path.join(tree, d, "__init__.py"), "w").close()
with open(os.path.join(tree, "benchmarks", "utils", "Tools.py"), "w") as f:
    f.write(TOOLS)
for name in ["automatic_eval.py", "automatic_metrics.py"]:
    shutil.copy(os.path.join(args.loom, name), os.path.join(evaluation, name))
sys.path.insert(0, tree)
import warnings  # noqa: E402

warnings.simplefilter("ignore")
ae = importlib.import_module("benchmarks.General.LooGLE.utils.evaluation.automatic_eval")
_listdir = os.listdir
ae.os.listdir = lambda p: sorted(_listdir(p))

# ---- predictions in LOOM-Scope's format ---------------------------------------------------------
rng = random.Random(args.seed)
EDGES = [0, 1, 8000, 8001, 16000, 16001, 32000, 32001, 64000, 64001, 128000, 130000, 130001, 250000]
loom_dir = os.path.join(args.out, "loom")
os.makedirs(loom_dir, exist_ok=True)
for f in os.listdir(loom_dir):
    os.remove(os.path.join(loom_dir, f))
for task in ["shortdep_qa", "longdep_qa", "longdep_summarization"]:
    rows = []
    with open(os.path.join(args.out, "Output", task + "_fixture-model.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            for hyp, ref in zip(d["llm_output"], d["output"]):
                length = rng.choice(EDGES) if rng.random() < 0.4 else rng.randint(1, 200000)
                rows.append({"llm_output": hyp, "output": ref, "LEN": length})
    with open(os.path.join(loom_dir, task + ".jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

out_dir = tempfile.mkdtemp(prefix="loom-loogle-out-")
ae.evaluate(loom_dir, out_dir, "fixture-model")
with open(os.path.join(out_dir, "length.json"), encoding="utf-8") as f:
    length_json = f.read()
by_file = {t["file"]: t for t in tables}
fixture = {
    "seed": args.seed,
    "python_hash_seed": 0,
    # bertscore values come from the stand-in: left out of every comparison.
    "tasks": {task: {k: v for k, v in m.items() if k != "bertscore"} for task, m in by_file["results.xlsx"]["data"]["LooGLE"].items()},
    "lengths": {b: {k: v for k, v in m.items() if k != "bertscore"} for b, m in by_file["results_length.xlsx"]["data"]["LooGLE"].items()},
    "count": by_file["results.xlsx"]["count"],
    "length_json": length_json,
}
with open(os.path.join(args.out, "loom-parity.json"), "w", encoding="utf-8") as f:
    json.dump(fixture, f, ensure_ascii=False, indent=1)
    f.write("\n")
shutil.rmtree(tree)
shutil.rmtree(out_dir)
print({t: sum(1 for _ in open(os.path.join(loom_dir, t + ".jsonl"))) for t in ["shortdep_qa", "longdep_qa", "longdep_summarization"]}, list(fixture["lengths"]))
