#!/usr/bin/env python3
"""Generate LongIns parity fixtures by running the official eval.py.

    /usr/bin/python3 scripts/make-parity-fixture.py /path/to/LongIns-Bench --seed 1 --out test/fixtures

/path/to/LongIns-Bench: a checkout of github.com/Ins-Bench/LongIns-Bench (eval.py is run as is).
Every case is scored by running eval.py (runpy, as `python eval.py --model_name m --mode M
--length L` from a scratch repository root holding data/ and results/ with that one response) and
reading the value it wrote to f1.json: with one response the mean is that response's F1. Cases
where eval.py raises record the exception's class name.

Writes under --out:
  parity.json        the cases (mode, length, response, error list) and eval.py's F1 or exception
  official/          a repository root (data/, results/, f1.json before scoring) for scoreOfficial
  official-f1.json   f1.json after eval.py ran once per results file, in loomscope's order
  official-crash/    a root whose f1.json already holds a scored key: eval.py raises AttributeError
  prompts.json       infer/data_loader.py's prompts (GIST and LIST) for two records
The official code itself is not copied anywhere.
"""
import argparse
import contextlib
import io
import json
import os
import random
import runpy
import shutil
import sys
import tempfile

MODES = ["GIST", "LIST"]
LENGTHS = ["256", "512", "1024", "2048", "4096", "8192", "16384"]


def responses(rng):
    """Hand-picked adversarial responses, then seeded random ones."""
    fixed = [
        "[1, 3, 5]", "[1,3,5]", "[ 1 ; 3 ; 5 ]", "[1][3][5]", "The wrong ones are [1, 3] and also [5].",
        "[[1, 2], [3]]", "[1, 3\n, 5]", "[1, 3\r, 5]", "[1\u2028, 3]", "[2\u2029 4]", "[1\x85 3]",
        "Question 3 is wrong", "", "[]", "[ ]", "[0]", "[3, 3, 3]", "[999]", "[-3]", "[2.5]", "[03, 007]",
        "[\uff11, \uff13]", "[\u0663]", "[\u00b2]", "[1-5]", "[123456789012345678901234567890]",
        "[123456789012345678901234567891, 123456789012345678901234567890]", "[one, two]",
        "[\u7b2c3\u9898, \u7b2c5\u9898]", "\u30103\u3011", "[1, 2", "]1[", "[1] [1]", "[1]\n[2]",
        "Answer: [4, 6, 8]\nExplanation: question [4] ...", "[\U0001d7d7]", "[\u0969\u096a]",
        "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]", "[10]", "[1 0]", "[１０]",
        "(1, 3, 5)", "{1, 3}", "[a1b2c3]", "[[[]]]", "[\\[1\\]]", "Incorrect: [2], [4], [6], [8]",
        "[" + ", ".join(str(i) for i in range(1, 400)) + "]", "[7]" * 200, "x" * 5000 + "[2]",
        "[\t2\t]", "[\u00a02\u00a0]", "[2\u200b]", "[\u0e53]", "[\u1040\u1041]", "[\u2463]", "[\u216b]",
    ]
    out = list(fixed)
    pieces = ["[", "]", ", ", ",", " ", "\n", "\r", "and", "Q", "#", ".", "-", "0", "00", "٣", "１"]
    for _ in range(60):
        n = rng.randint(0, 8)
        nums = [str(rng.randint(0, 25)) for _ in range(n)]
        style = rng.randint(0, 4)
        if style == 0:
            out.append("[" + ", ".join(nums) + "]")
        elif style == 1:
            out.append(" ".join("[" + x + "]" for x in nums))
        elif style == 2:
            out.append("The incorrect answers are " + ", ".join(nums) + ".")
        elif style == 3:
            out.append("".join(rng.choice(pieces + nums) for _ in range(rng.randint(1, 20))))
        else:
            out.append("[" + "; ".join(nums) + "]\n[" + ", ".join(reversed(nums)) + "]")
    return out


def error_lists(rng, resp):
    """Error lists: some special ones, the rest mostly overlapping the numbers a response names."""
    import re
    fixed = [[], [3], [1, 3, 5], [3.0], [True], ["3"], [1, 1, 3], [0], [123456789012345678901234567890]]
    out = []
    for i, r in enumerate(resp):
        if i % 7 == 3 and fixed:
            out.append(fixed.pop(0))
            continue
        named = sorted({int(n) for n in re.findall(r"[0-9]+", r)} )[:30]
        if named and rng.random() < 0.75:
            keep = [n for n in named if rng.random() < 0.6]
            extra = rng.sample(range(1, 21), rng.randint(0, 2))
            out.append(sorted(set(keep + extra)))
        else:
            out.append(sorted(rng.sample(range(1, 21), rng.randint(0, 6))))
    return out


def run_eval(eval_py, root, model, mode, length):
    """Run eval.py as `python eval.py --model_name ... --mode ... --length ...` from `root`."""
    old_cwd, old_argv = os.getcwd(), sys.argv
    os.chdir(root)
    sys.argv = ["eval.py", "--model_name", model, "--mode", mode, "--length", length]
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(eval_py, run_name="__main__")
        return None
    except Exception as e:  # eval.py's own exception is the expected outcome
        return type(e).__name__
    finally:
        os.chdir(old_cwd)
        sys.argv = old_argv


def write_root(root, data, results):
    for (mode, length), records in data.items():
        os.makedirs(os.path.join(root, "data", mode), exist_ok=True)
        with open(os.path.join(root, "data", mode, f"{length}.json"), "w", encoding="utf-8") as f:
            json.dump(records, f, ensure_ascii=False)
    os.makedirs(os.path.join(root, "results"), exist_ok=True)
    for name, lines in results.items():
        with open(os.path.join(root, "results", name), "w", encoding="utf-8") as f:
            for line in lines:
                f.write((line if isinstance(line, str) else json.dumps(line)) + "\n")


def score_one(eval_py, mode, length, response, error):
    root = tempfile.mkdtemp(prefix="longins-case-")
    try:
        write_root(root, {(mode, length): {"q0": {"task_prompt": "t", "Data": "d", "error": error}}},
                   {f"m_{length}_{mode}.jsonl": [{"id": "q0", "response": response}]})
        exc = run_eval(eval_py, root, "m", mode, length)
        if exc is not None:
            return {"error": exc}
        with open(os.path.join(root, "f1.json"), encoding="utf-8") as f:
            return {"f1": json.load(f)[f"m_{length}_{mode}"]}
    finally:
        shutil.rmtree(root)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("longins", help="checkout of Ins-Bench/LongIns-Bench")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "test", "fixtures"))
    args = ap.parse_args()
    eval_py = os.path.abspath(os.path.join(args.longins, "eval.py"))
    rng = random.Random(args.seed)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)

    resp = responses(rng)
    errs = error_lists(rng, resp)
    cases = []
    for i, (r, e) in enumerate(zip(resp, errs)):
        mode, length = MODES[i % 2], LENGTHS[i % 7]
        cases.append({"mode": mode, "length": length, "response": r, "error": e,
                      "expected": score_one(eval_py, mode, length, r, e)})
    # Responses that are not strings: eval.py's re.findall raises TypeError.
    for bad in [None, 7, ["[1]"]]:
        cases.append({"mode": "GIST", "length": "256", "response": bad, "error": [1],
                      "expected": score_one(eval_py, "GIST", "256", bad, [1])})
    # error lists that are not lists: set() of a string, a dict, a number.
    for e in ["13", {"1": 1}, 5, [[1]]]:
        cases.append({"mode": "LIST", "length": "512", "response": "[1, 3]", "error": e,
                      "expected": score_one(eval_py, "LIST", "512", "[1, 3]", e)})
    with open(os.path.join(out, "parity.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "cases": cases}, f, ensure_ascii=False, indent=1)

    # A repository root with several runs, one pre-existing f1.json, and eval.py run per file in the
    # order loomscope uses: model, then GIST before LIST, then length.
    root = os.path.join(out, "official")
    shutil.rmtree(root, ignore_errors=True)
    data, results, order = {}, {}, []
    for model, mode, length in [("modelA", "GIST", "256"), ("modelA", "LIST", "512"), ("model_x", "GIST", "1024"),
                                ("model_x", "LIST", "1024"), ("model_x", "LIST", "16384")]:
        ids = [f"{mode}_{length}_{j}" for j in range(6)] + ["10", "2"]
        records = {i: {"task_prompt": f"prompt {i}", "Data": f"data {i}", "error": sorted(rng.sample(range(1, 15), rng.randint(0, 4)))} for i in ids}
        data[(mode, length)] = records
        lines = []
        for i in ids:
            r = rng.choice(resp[:60])
            lines.append({"id": i, "response": r})
        results[f"{model}_{length}_{mode}.jsonl"] = lines
        order.append((model, mode, length))
    results["modelA_256_GIST.jsonl.tmp"] = ["not scored"]
    write_root(root, data, results)
    with open(os.path.join(root, "results", "notes.txt"), "w") as f:
        f.write("not a results file\n")
    prior = {"old_model_256_GIST": 0.25, "legacy_list": [0.5, 1], "\u6a21\u578b_512_LIST": 1}
    with open(os.path.join(root, "f1.json"), "w", encoding="utf-8") as f:
        json.dump(prior, f, ensure_ascii=False, indent=4)
    work = tempfile.mkdtemp(prefix="longins-root-")
    shutil.copytree(root, work, dirs_exist_ok=True)
    for model, mode, length in sorted(order, key=lambda t: (t[0], MODES.index(t[1]), int(t[2]))):
        exc = run_eval(eval_py, work, model, mode, length)
        assert exc is None, exc
    shutil.copyfile(os.path.join(work, "f1.json"), os.path.join(out, "official-f1.json"))
    shutil.rmtree(work)

    # eval.py run twice for the same key: the second run appends to a float and raises.
    crash = os.path.join(out, "official-crash")
    shutil.rmtree(crash, ignore_errors=True)
    write_root(crash, {("GIST", "256"): {"a": {"task_prompt": "t", "Data": "d", "error": [1]}}},
               {"m_256_GIST.jsonl": [{"id": "a", "response": "[1]"}]})
    with open(os.path.join(crash, "f1.json"), "w") as f:
        json.dump({"m_256_GIST": 1.0}, f, indent=4)
    work = tempfile.mkdtemp(prefix="longins-crash-")
    shutil.copytree(crash, work, dirs_exist_ok=True)
    assert run_eval(eval_py, work, "m", "GIST", "256") == "AttributeError"
    shutil.rmtree(work)
    # infer/data_loader.py's prompts for a data file (run from a root holding config/ and data/).
    root = tempfile.mkdtemp(prefix="longins-prompts-")
    shutil.copytree(os.path.join(args.longins, "config"), os.path.join(root, "config"))
    records = {"q1": {"task_prompt": "Translate {the} sentence into French.\nKeep names.", "Data": "[1] Q: 2+2? A: 5\n[2] Q: \u00e9t\u00e9? A: summer {x}", "error": [1]},
               "7": {"task_prompt": "", "Data": "", "error": []}}
    prompts = {}
    for mode in MODES:
        write_root(root, {(mode, "256"): records}, {})
        sys.path.insert(0, os.path.join(args.longins, "infer"))
        old = os.getcwd()
        os.chdir(root)
        try:
            import data_loader
            prompts[mode] = data_loader.load_data(mode=mode, length=256)
        finally:
            os.chdir(old)
            sys.path.pop(0)
    shutil.rmtree(root)
    with open(os.path.join(out, "prompts.json"), "w", encoding="utf-8") as f:
        json.dump({"records": records, "prompts": prompts}, f, ensure_ascii=False, indent=1)
    print(f"{len(cases)} cases; official f1.json, crash root and prompts written under {out}")


if __name__ == "__main__":
    main()
