#!/usr/bin/env python3
"""Make Needle Threading parity fixtures by running the official scoring lines.

    /usr/bin/python3 scripts/make-parity-fixture.py --nthread /path/to/needle-threading \
        [--loom /path/to/loom_scope] [--seed 1] [--out test/fixtures]

--nthread: a checkout of github.com/jonathan-roberts1/needle-threading. Its README.md holds the only
           official scoring code (the "Single Needle example inference"); the lines of that code block
           from `model_response.strip()` to the `print` are taken from the README and executed as they
           are, per prediction, with `literal_eval`, `pd` and the loop variables bound (the Gemini
           call is replaced by the prediction text).
--loom:    the root of the loom-scope package (benchmarks/Retrieve/NThread/utils/evaluation/eval.py,
           benchmarks/utils/Tools.py, scripts/utils/ResultManager.py); optional.
--seed:    seed of the generated UUIDs and random outputs (a new seed gives an unseen set).

Writes under --out: parity.json (cases with the README verdict or exception class, and LOOM-Scope's),
predictions/ (DIR/<Task>.jsonl) with official-result/printed.json (what the README loop prints per
task), crash_predictions/ with crash.json, loom_preds/ with loom-result/ (length.json, Total.txt and
the printed tables). The official code itself is not copied anywhere.
"""
import argparse
import importlib
import io
import json
import os
import random
import re
import shutil
import sys
import textwrap
import types
from ast import literal_eval

HERE = os.path.dirname(os.path.abspath(__file__))
TASKS = ["Single_Needle", "Multi_Needle", "Conditional_Needle", "Single_Thread", "Multi_Thread"]
FILES = {"Single_Needle": "Single_Needle", "Multi_Needle": "Multiple_Needles", "Conditional_Needle": "Conditional_Needles",
         "Single_Thread": "Single_Threads", "Multi_Thread": "Multi_Threads"}
MULTI = {"Multi_Needle", "Conditional_Needle", "Multi_Thread"}


def readme_code(path):
    """The README's evaluation statements: (per-item body, after-loop lines)."""
    text = open(os.path.join(path, "README.md"), encoding="utf-8").read()
    block = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "literal_eval(model_response)" in b][0]
    lines = block.split("\n")
    start = next(i for i, l in enumerate(lines) if l.strip() == "model_response.strip()")
    end = next(i for i, l in enumerate(lines) if "output_df = pd.concat" in l)
    body = textwrap.dedent("\n".join(lines[start:end + 1]))
    init = next(l for l in lines if l.startswith("output_df = pd.DataFrame"))
    after = [l for l in lines if l.startswith("accuracy =") or l.startswith("print(")]
    return init, body, "\n".join(after)


def uuid(rng):
    h = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def outputs_for(answer, task, rng):
    """Adversarial responses for an answer (a UUID, or the repr of a list of UUIDs)."""
    outs = []
    if task in MULTI:
        values = literal_eval(answer)
        outs += [answer, repr(answer), '"' + answer + '"', repr(answer + ", 'x'"), repr(answer[:-1]), str(values[::-1]),
                 repr(str(values[::-1])), "[" + ", ".join(values) + "]", json.dumps(values), repr(json.dumps(values)),
                 str(tuple(values)), repr(answer) + " # done", " " + repr(answer), repr(answer) + ".",
                 "[[" + repr(values[0]) + "]]", "The values are " + answer, "```python\n" + answer + "\n```", "{" + repr(values[0]) + "}",
                 repr(answer.upper()), "''", ""]
        return outs
    u = answer
    first_hex = format(ord(u[0]), "x")
    outs += [repr(u), '"' + u + '"', u, "'" + u + "extra'", "'" + u[:-1] + "'", "'" + u.upper() + "'", " " + repr(u),
             "\n" + repr(u), repr(u) + "\n", repr(u) + " # note", repr(u) + ".", "The value is " + repr(u),
             "```\n" + repr(u) + "\n```", "[" + repr(u) + "]", "(" + repr(u) + ",)", "{" + repr(u) + "}",
             "{" + repr(u) + ": 1}", "None", "True", "42", "1.5", "1j", "...", "b'" + u + "'", "'\\x" + first_hex + u[1:] + "'",
             "''", "", "r'" + u + "'", "'''" + u + "'''", repr(u) + " " + repr(u), "u'" + u + "'", "f'" + u + "'",
             "\u2018" + u + "\u2019", "'" + u + "\n'", "'\U0001F600" + u + "'", "\t" + repr(u), "'" + u[:18] + "' '" + u[18:] + "'",
             "Key: " + u, "'" + u + "' and more", "\"" + u + "'", u + "'"]
    return outs


def build_cases(rng):
    cases = []
    for task in TASKS:
        for k in range(2):
            if task in MULTI:
                answer = repr([uuid(rng) for _ in range(rng.randint(2, 3))])
            else:
                answer = uuid(rng)
            for o in outputs_for(answer, task, rng):
                cases.append({"task": task, "answer": answer, "output": o})
    # code points, not UTF-16 units: an answer with a character outside the BMP
    for o in ["'ab\U0001F600cdXYZ'", "'ab\U0001F600c'", "'ab\\U0001f600cd'", "'ab\\ud83d\\ude00cd'"]:
        cases.append({"task": "Single_Needle", "answer": "ab\U0001F600cd", "output": o})
    # random soup
    pieces = ["'", '"', "[", "]", "(", ")", ",", " ", "\n", "#", "x", "1", "-", "b", "{", "}", ":", "\\", "."]
    for _ in range(60):
        task = rng.choice(TASKS)
        answer = repr([uuid(rng), uuid(rng)]) if task in MULTI else uuid(rng)
        base = rng.choice(outputs_for(answer, task, rng))
        i = rng.randrange(len(base) + 1)
        cases.append({"task": task, "answer": answer, "output": base[:i] + rng.choice(pieces) + base[i:]})
    return cases


def stub_loguru():
    mod = types.ModuleType("loguru")

    class Logger:
        lines = []

        def remove(self, *a, **k):
            pass

        def add(self, *a, **k):
            pass

        def info(self, message, *a, **k):
            Logger.lines.append(message)
    mod.logger = Logger()
    sys.modules["loguru"] = mod
    for name in ["matplotlib", "matplotlib.pyplot", "matplotlib.colors"]:
        sys.modules[name] = types.ModuleType(name)
    sys.modules["matplotlib.colors"].LinearSegmentedColormap = None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nthread", required=True)
    ap.add_argument("--loom")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "test", "fixtures"))
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    rng = random.Random(args.seed)
    import pandas as pd
    init, body, after = readme_code(args.nthread)
    body_code = compile(body, "README.md", "exec")

    def readme_verdict(output, answer, output_df):
        ns = {"literal_eval": literal_eval, "pd": pd, "model_response": output, "item": {"values": answer, "id": 0},
              "output_df": output_df}
        exec(body_code, ns)
        return ns["correct"], ns["output_df"]

    loom_score = None
    if args.loom:
        stub_loguru()
        sys.path.insert(0, os.path.abspath(args.loom))
        loom_eval = importlib.import_module("benchmarks.Retrieve.NThread.utils.evaluation.eval")
        loom_score = loom_eval.score

    cases = build_cases(rng)
    for c in cases:
        try:
            ok, _ = readme_verdict(c["output"], c["answer"], pd.DataFrame(columns=["Question_ID", "Output", "Answer", "Correct?"]))
            c["official"] = {"correct": bool(ok)}
        except Exception as e:  # noqa: BLE001
            c["official"] = {"error": type(e).__name__}
        if loom_score:
            try:
                c["loom"] = {"correct": bool(loom_score(c["answer"], c["output"]))}
            except Exception as e:  # noqa: BLE001
                c["loom"] = {"error": type(e).__name__}
    extra_loom = []
    if loom_score:
        for answer, pred in [("['a', 'b']", "a b"), ("['a', 'b']", "a"), ("[1, 2]", "1 2"), ("['a'", "a"), ("a]", "a]"),
                             ("'[x]'", "[x]"), ("[]", ""), ("['a']", None), ("abc", None), ("", "anything"), ("[['a']]", "a")]:
            try:
                v = {"correct": bool(loom_score(answer, pred))}
            except Exception as e:  # noqa: BLE001
                v = {"error": type(e).__name__}
            extra_loom.append({"answer": answer, "output": pred, "loom": v})
    with open(os.path.join(out, "parity.json"), "w") as f:
        json.dump({"seed": args.seed, "cases": cases, "loom_extra": extra_loom}, f, indent=1, ensure_ascii=False)
        f.write("\n")

    # The README loop over prediction files: DIR/<Task>.jsonl -> printed accuracy per task.
    preds = os.path.join(out, "predictions")
    shutil.rmtree(preds, ignore_errors=True)
    os.makedirs(preds)
    printed = {}
    for task in TASKS:
        rows = [c for c in cases if c["task"] == task and "correct" in c["official"]]
        rows = rows[: rng.randint(8, len(rows))]
        name = FILES[task] if task in ("Multi_Needle", "Single_Thread") else task  # both spellings occur
        ns = {"pd": pd, "model_name": "m"}
        exec(init, ns)
        output_df = ns["output_df"]
        with open(os.path.join(preds, name + ".jsonl"), "w") as f:
            for i, c in enumerate(rows):
                f.write(json.dumps({"Question_ID": i, "Output": c["output"], "Answer": c["answer"]}, ensure_ascii=False) + "\n")
                _, output_df = readme_verdict(c["output"], c["answer"], output_df)
        ns = {"pd": pd, "model_name": "m", "output_df": output_df}
        buf = io.StringIO()
        real = sys.stdout
        sys.stdout = buf
        try:
            exec(after, ns)
        finally:
            sys.stdout = real
        line = buf.getvalue().strip()
        printed[name] = line[len("m " + "Single_Needle: "):] if False else line.split(": ", 1)[1]
    res = os.path.join(out, "official-result")
    shutil.rmtree(res, ignore_errors=True)
    os.makedirs(res)
    with open(os.path.join(res, "printed.json"), "w") as f:
        json.dump(printed, f, indent=1)
        f.write("\n")

    crash = os.path.join(out, "crash_predictions")
    shutil.rmtree(crash, ignore_errors=True)
    os.makedirs(crash)
    bad = next(c for c in cases if c["official"].get("error") == "SyntaxError")
    with open(os.path.join(crash, "Single_Needle.jsonl"), "w") as f:
        f.write(json.dumps({"Question_ID": 0, "Output": repr(bad["answer"]), "Answer": bad["answer"]}) + "\n")
        f.write(json.dumps({"Question_ID": 1, "Output": bad["output"], "Answer": bad["answer"]}) + "\n")
    with open(os.path.join(crash, "crash.json"), "w") as f:
        json.dump({"error": "SyntaxError"}, f)
        f.write("\n")

    if loom_score:
        lp = os.path.join(out, "loom_preds")
        lr = os.path.join(out, "loom-result")
        for d in (lp, lr):
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
        for task in TASKS:
            rows = [c for c in cases if c["task"] == task and "correct" in c["loom"] and c["output"] is not None]
            with open(os.path.join(lp, FILES[task] + ".jsonl"), "w") as f:
                for c in rows[: rng.randint(6, 20)]:
                    f.write(json.dumps({"Output": c["output"], "Answer": c["answer"],
                                        "LEN": rng.choice([900, 8000, 8001, 20000, 70000, 129000, 130001, 500000])},
                                       ensure_ascii=False) + "\n")
        pd.DataFrame.to_excel = lambda *a, **k: None
        buf = io.StringIO()
        real = sys.stdout
        sys.stdout = buf
        try:
            loom_eval.evaluate(lp, lr, "m")
        finally:
            sys.stdout = real
        log = [l for l in sys.modules["loguru"].logger.lines if l.startswith("|") and "---" not in l]
        with open(os.path.join(lr, "printed.json"), "w") as f:
            json.dump({"log": log}, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
