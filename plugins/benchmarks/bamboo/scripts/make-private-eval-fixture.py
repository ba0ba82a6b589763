#!/usr/bin/env python3
"""private_eval parity fixture for @loomscope/benchmark-bamboo, from BAMBOO's own executor.

    /usr/bin/python3 scripts/make-private-eval-fixture.py <BAMBOO checkout> [--seed N] [--timeout S] [--out test/fixtures]

Imports the official private_eval/evaluation.py (its unused imports ipdb, autopep8, docformatter
and tqdm stood in for) and runs `evaluate_functional_correctness` on 105 completions in the
official prediction format ({index, task_id, pred}, as run_for_transformers.py writes them) against
datasets/real_all_eval_v3.jsonl.gz: paraphrased canonical solutions (mapped back by convert_back),
the original API names (convert_back answers "error!"), wrong values, syntax and name errors, an
endless loop, input(), exit(), os.remove, an unavailable torchdata, output spam, identifiers touching
non-ASCII letters, and a task asked twice. Run with Debian's python3 (numpy, pandas). The time limit
is --timeout (default 6 s, not evaluation.py's 3 s, so a loaded machine importing pandas does not
turn a pass into a timeout); the test runs ours with the same limit.
Writes <out>/private/private_eval_4k.jsonl, <out>/private/real_all_eval_v3.jsonl.gz (the problems used) and
<out>/private-parity.json: the printed Pass@k line, each line's result, and the _results.jsonl text.
"""
import argparse
import contextlib
import gzip
import io
import json
import os
import random
import shutil
import sys
import tempfile
import types

ap = argparse.ArgumentParser()
ap.add_argument("bamboo")
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--timeout", type=float, default=6.0)
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures"))
args = ap.parse_args()
for m in ["ipdb", "autopep8", "docformatter", "tqdm"]:
    sys.modules[m] = types.ModuleType(m)
sys.modules["tqdm"].tqdm = lambda x=None, **k: x if x is not None else []
sys.path.insert(0, args.bamboo)
from private_eval import evaluation as ev  # noqa: E402
from private_eval import execution as ex  # noqa: E402

rng = random.Random(args.seed)
gz = os.path.join(args.bamboo, "datasets", "real_all_eval_v3.jsonl.gz")
problems = [json.loads(l) for l in gzip.open(gz, "rt") if l.strip()]
keywords = {"numpy": ex.numpy_keywords, "pandas": ex.pandas_keywords, "torchdata": ex.torchdata_keywords}


def domain(task_id):
    t = task_id.lower()
    return "numpy" if "numpy" in t else "pandas" if "pandas" in t else "torchdata"


def paraphrase(code, dom):
    """Original API names to the paraphrased ones the prompt shows (what a model would write)."""
    for old, new in keywords[dom].items():
        code = code.replace(old, new)
    return code


by_domain = {d: [p for p in problems if domain(p["task_id"]) == d] for d in keywords}
chosen = rng.sample(by_domain["numpy"], 65) + rng.sample(by_domain["pandas"], 25) + rng.sample(by_domain["torchdata"], 10)
rng.shuffle(chosen)
# Completions continue a prompt that ends mid-assignment ("c ="): each starts as an expression.
SPECIAL = [
    " 0\nwhile True:\n    pass",
    " input()",
    " exit()",
    " __import__('os').remove('x')",
    "print('spam ' * 1000) or 1",
    " (1/0)",
    " undefined_name_here",
    " [1, 2",
    " é" + "numset([1])",
    " bn.numsetà([1])",
]
rows = []
for i, p in enumerate(chosen):
    canon = p["canonical_solution"][0]
    r = rng.random()
    if r < 0.45:
        pred = paraphrase(canon, domain(p["task_id"]))
    elif r < 0.6:
        pred = canon
    elif r < 0.75:
        pred = " None"
    elif r < 0.85:
        pred = paraphrase(canon, domain(p["task_id"])) + "\nraise ValueError('bad %d')" % i
    else:
        pred = rng.choice(SPECIAL[4:])
    rows.append({"index": i, "task_id": p["task_id"], "pred": pred})
for s in SPECIAL[:4]:
    p = rng.choice(by_domain["numpy"])
    rows.append({"index": len(rows), "task_id": p["task_id"], "pred": s})
# One task asked twice: pass@1 is then the mean over tasks of c / n.
rows.append({"index": len(rows), "task_id": rows[0]["task_id"], "pred": " None"})

outdir = os.path.join(args.out, "private")
os.makedirs(outdir, exist_ok=True)
# The problems the completions ask about, in the file's format (gzip without a timestamp).
used = {r["task_id"] for r in rows}
with gzip.GzipFile(os.path.join(outdir, "real_all_eval_v3.jsonl.gz"), "wb", mtime=0) as f:
    f.write("".join(json.dumps(p) + "\n" for p in problems if p["task_id"] in used).encode("utf-8"))
with open(os.path.join(outdir, "private_eval_4k.jsonl"), "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r) + "\n")

work = tempfile.mkdtemp(prefix="bamboo-private-")
sample = os.path.join(work, "private_eval_4k.jsonl")
shutil.copy(os.path.join(outdir, "private_eval_4k.jsonl"), sample)
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    pass_at_k = ev.evaluate_functional_correctness(sample, timeout=args.timeout, problem_file=gz)
printed = next(l for l in buf.getvalue().splitlines() if l.startswith("Pass@k:"))
with open(sample + "_results.jsonl", encoding="utf-8") as f:
    results_text = f.read()
results = [json.loads(l)["result"] for l in results_text.splitlines()]
with open(os.path.join(args.out, "private-parity.json"), "w", encoding="utf-8") as f:
    json.dump({"seed": args.seed, "timeout": args.timeout, "printed": printed, "results": results, "results_jsonl": results_text}, f, ensure_ascii=False, indent=1)
    f.write("\n")
shutil.rmtree(work)
from collections import Counter  # noqa: E402

print(printed, Counter(r.split(":")[0] for r in results))
