#!/usr/bin/env python3
"""`--protocol loom` parity fixture: LOOM-Scope's own L_CiteEval scorers run on generated predictions.

    /usr/bin/python3 scripts/make-loom-parity-fixture.py /path/to/L_CiteEval/utils/evaluation \\
        --rouge /path/to/rouge-1.0.1 --seed 1 --out test/fixtures

The folder holds LOOM-Scope's `eval_correct.py` and `eval_citation.py` (loom-scope's
benchmarks/Faithfulness/L_CiteEval/utils/evaluation/). They are package modules: their relative
import of `categorize_length` and their `loguru` / `scripts.utils.ResultManager` imports are given
stand-ins when the source is loaded (categorize_length → "all"; the result-table writer records
what it is given). `save_results` is wrapped to record the per-sample lists. The NLI pipeline and
sent_tokenize are the same stand-ins as in make-parity-fixture.py (imported from there).
Writes --out/parity-loom.json.
"""
import argparse
import importlib.util
import json
import os
import random
import shutil
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))


def load_official_harness():
    spec = importlib.util.spec_from_file_location("lce_harness", os.path.join(HERE, "make-parity-fixture.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_loom_module(path, name, tables):
    src = open(path, encoding="utf-8").read()
    src = src.replace("from .....utils.Tools import categorize_length", "categorize_length = lambda n: 'all'")
    mod = types.ModuleType(name)
    mod.__file__ = path
    exec(compile(src, path, "exec"), mod.__dict__)
    lists = {}
    original = mod.save_results

    def recording_save_results(benchmark_name, scores_task, scores_length, out_path, *rest):
        lists.update({k: list(v) for k, v in scores_task.items()})
        return original(benchmark_name, scores_task, scores_length, out_path, *rest)
    mod.save_results = recording_save_results
    return mod, lists


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("loom_evaluation")
    ap.add_argument("--rouge", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "test", "fixtures"))
    args = ap.parse_args()
    sys.path.insert(0, args.rouge)
    h = load_official_harness()
    rng = random.Random(args.seed + 500)
    nli = h.NLI(args.seed)
    h.install_stubs(nli)
    import nltk
    from nltk.tokenize import PunktSentenceTokenizer
    tok = PunktSentenceTokenizer(h.punkt_params())
    nltk.sent_tokenize = lambda text, language="english": tok.tokenize(text)
    tables = []
    loguru = types.ModuleType("loguru")
    loguru.logger = types.SimpleNamespace(info=lambda *a, **k: None, remove=lambda *a, **k: None, add=lambda *a, **k: None)
    rm = types.ModuleType("scripts.utils.ResultManager")
    rm.ConstructResultTable2 = lambda name, scores, count, path, **k: tables.append({"path": os.path.basename(path), "scores": scores, "count": count})
    sys.modules.update({"loguru": loguru, "scripts": types.ModuleType("scripts"), "scripts.utils": types.ModuleType("scripts.utils"),
                        "scripts.utils.ResultManager": rm})

    work = tempfile.mkdtemp(prefix="loom-lce-")
    data_dir = os.path.join(work, "preds")
    refer_dir = os.path.join(work, "benchmarks", "Faithfulness", "L_CiteEval", "data")
    out_dir = os.path.join(work, "out")
    for d in (data_dir, refer_dir, out_dir):
        os.makedirs(d)
    runs = []
    for task in h.TASKS:
        recs = h.make_records(rng, task)
        gens = [h.generation(rng, task, r) for r in recs]
        if task in h.SUMM:
            gens[0] = "In summary the passages agree [1]."  # "summary" but no ":": skipped by LOOM-Scope
        name = f"L-CiteEval-Data_{task}.jsonl"
        with open(os.path.join(refer_dir, name), "w") as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        with open(os.path.join(data_dir, name), "w") as f:
            for r, g in zip(recs, gens):
                f.write(json.dumps({"id": r["id"], "answer": r["answer"], "generation": g}, ensure_ascii=False) + "\n")
        runs.append({"task": task, "records": recs, "generations": gens})
    old = os.getcwd()
    os.chdir(work)
    try:
        correct, correct_lists = load_loom_module(os.path.join(args.loom_evaluation, "eval_correct.py"), "loom_eval_correct", tables)
        correct.evaluate(data_dir, out_dir, "test-model")
        citation, citation_lists = load_loom_module(os.path.join(args.loom_evaluation, "eval_citation.py"), "loom_eval_citation", tables)
        nli.calls = []
        citation.evaluate(data_dir, out_dir, "test-model")
    finally:
        os.chdir(old)
    shutil.rmtree(work)
    with open(os.path.join(args.out, "parity-loom.json"), "w") as f:
        json.dump({"seed": args.seed, "runs": runs, "correct": correct_lists, "citation": citation_lists, "nli": nli.calls, "tables": tables},
                  f, ensure_ascii=False, indent=0)


if __name__ == "__main__":
    main()
