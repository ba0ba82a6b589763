#!/usr/bin/env python3
"""Generate Ada-LEval parity fixtures from the official dataset.py.

    /usr/bin/python3 scripts/make-parity-fixture.py /path/to/Ada-LEval --seed 1 --out test/fixtures \
        [--loom /path/to/loom_eval_functions.py]

/path/to/Ada-LEval: a checkout of github.com/open-compass/Ada-LEval (ada_leval/dataset.py and smp.py
are imported as they are; requests, seaborn, tabulate and portalocker, which scoring never uses, are
given empty stand-ins when missing). --loom: a file defining LOOM-Scope 0.1's `loom_score(filename,
data)` (its eval.py's extract functions and per-line score) for the protocol-loom expectations.

Writes under --out:
  parity.json       each case (task, prediction, answer, number of answers) with the official
                    outcome (hit 0/1 or the exception evaluate raises) and, with --loom, LOOM-Scope's
  official/         a repository root: data/*.json, results/*.pkl (pickle.dump, as run.py), an earlier result.json
  official-result.json  result.json after scoring every pickle as run.py's rank 0 does (minus the model)
  prompts.json      StackSelect.build_prompt / TextSort.build_prompt for two records
The official code itself is not copied anywhere.
"""
import argparse
import importlib.util
import json
import os
import pickle
import random
import shutil
import sys
import tempfile


def stubs():
    d = tempfile.mkdtemp(prefix="ada-stubs-")
    bodies = {"requests": "", "seaborn": "", "tabulate": "def tabulate(*a, **k):\n    return ''\n", "portalocker": "",
              "rich": ""}
    for mod, body in bodies.items():
        try:
            __import__(mod)
        except ImportError:
            with open(os.path.join(d, mod + ".py"), "w") as f:
                f.write("# stand-in: imported by ada_leval/smp.py, unused by scoring\n" + body)
    return d


def stackselect_cases(rng):
    out = []
    def add(pred, answer, nc, note=""):
        out.append({"task": "stackselect", "prediction": pred, "answer": answer, "num_choice": nc, "note": note})
    add("Answer: A3", "A3", 5); add("A3", "A3", 5); add("a3", "A3", 5, "lowercase: digit fallback")
    add("The answer is A12", "A12", 15, "A1 is inside A12; the highest wins"); add("The answer is A12", "A1", 9, "A12 not a candidate, A1 is")
    add("A10", "A10", 10); add("I think answer 3 or 4", "A3", 6, "digits: highest found"); add("None of them", "A1", 4)
    add("", "A2", 3); add("A0", "A1", 5); add("Answer: A 3", "A3", 5); add("A3A5", "A3", 6); add("\uff213", "A3", 5, "fullwidth A")
    add("A\u0661", "A1", 3); add("The designation is A4 (not A14)", "A14", 20); add("In 2019 we saw 7 answers", "A20", 25)
    add("Failed to obtain answer via API. ", "A1", 8); add("Answer: A2.", "A2", 2); add("A2", "A2", 1, "one answer: A2 not a candidate")
    add("Answer: A1\nAnswer: A7", "A1", 8, "last-listed number wins"); add("The most helpful answer is answer 11.", "A11", 12)
    add("\u7b54\u6848\u662fA3", "A3", 4); add("A" * 3 + "1", "A1", 2); add("answer: A-3", "A3", 5)
    for _ in range(50):
        nc = rng.randint(2, 30)
        k = rng.randint(1, nc)
        style = rng.randint(0, 5)
        if style == 0:
            pred = f"Answer: A{k}"
        elif style == 1:
            pred = f"The most helpful answer is A{rng.randint(1, nc + 5)}."
        elif style == 2:
            pred = " ".join(str(rng.randint(0, 40)) for _ in range(rng.randint(1, 4)))
        elif style == 3:
            pred = f"A{k} or A{rng.randint(1, nc)}"
        elif style == 4:
            pred = rng.choice(["", "I cannot tell.", "Answer: none", "A", "Answer:"])
        else:
            pred = f"Answer: a{k}"
        add(pred, f"A{k}" if rng.random() < 0.7 else f"A{rng.randint(1, nc)}", nc)
    return out


def textsort_cases(rng):
    out = []
    def add(pred, answer, note=""):
        out.append({"task": "textsort", "prediction": pred, "answer": answer, "note": note})
    A = [2, 1, 4, 3]
    add("Answer: [2, 1, 4, 3]", A); add("[2,1,4,3]", A); add("Answer: [2, 1]", A, "prefix: official hit")
    add("Answer: []", A, "empty list: official hit"); add('Answer: ""', A, "empty string: official hit"); add("Answer: {}", A)
    add('Answer: {"a": 1}', A); add("Answer: 2143", A, "int: zip raises TypeError"); add("Answer: 2.5", A); add("Answer: true", A)
    add("Answer: null", A); add('Answer: "2143"', A); add("Answer: [2.0, 1, 4, 3]", A); add("Answer: [true, 1, 4, 3]", [1, 1, 4, 3])
    add("Answer: [2, 1, 4, 3, 5]", A, "longer: official hit"); add("Answer: [NaN, 1, 4, 3]", A); add("Answer: 2, 1, 4, 3", A)
    add("Answer: 1 2 3 4 4 3 2 1", A); add("2 then 1 then 4 then 3", A); add("Answer: [2, 1, 4, 3] Answer: [1,2,3,4]", A)
    add("answer: [2,1,4,3]", A); add("Answer:[2,1,4,3]\n", A); add("Answer: ```json\n[2,1,4,3]\n```", A); add("Answer: [[2,1,4,3]]", A)
    add("Answer: [2, 1, 4, 3", A); add("Failed to obtain answer via API. ", A); add("Answer: " + "[" * 2000 + "]" * 2000, A, "RecursionError: fallback")
    add("Answer: [2, 1, 4, 3]", "[2, 1, 4, 3]", "answer stored as a string"); add("Answer: [1, 2, 3, 4]", "[2, 1, 4, 3]")
    add("Answer: \u00a0[2, 1, 4, 3]\u3000", A, "Unicode whitespace stripped"); add("Answer: [2, 1, 4, 3]", [2, 1, 4, 3])
    add("Answer: [ 2 , 1 , 4 , 3 ]", A); add("Answer: [2,1,4,3] because", A, "extra data: fallback")
    add("Answer: [\"2\", \"1\", \"4\", \"3\"]", A); add("Answer: Infinity", A); add("Answer: -0", A); add("Answer: [2, 1e0, 4, 3]", A)
    add("Answer: 1e400", A); add("2143", A, "no Answer: json int raises"); add("", A); add("Answer:", A)
    add("Answer: " + "9" * 5000, A, "int too long for int(): ValueError, fallback")
    for _ in range(45):
        perm = rng.sample([1, 2, 3, 4], 4)
        guess = perm if rng.random() < 0.5 else rng.sample([1, 2, 3, 4], 4)
        style = rng.randint(0, 4)
        if style == 0:
            pred = "Answer: " + json.dumps(guess)
        elif style == 1:
            pred = "The order is " + " > ".join(map(str, guess))
        elif style == 2:
            pred = "Answer: " + json.dumps(guess[: rng.randint(0, 4)])
        elif style == 3:
            pred = "Answer: " + "".join(map(str, guess)) + " and " + str(rng.randint(1, 4))
        else:
            pred = "I think " + json.dumps(guess) + "\nAnswer: " + json.dumps(rng.sample([1, 2, 3, 4], 4))
        add(pred, perm if rng.random() < 0.8 else json.dumps(perm))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("adaleval", help="checkout of open-compass/Ada-LEval")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "test", "fixtures"))
    ap.add_argument("--loom", help="LOOM-Scope's eval functions (defines loom_score)")
    args = ap.parse_args()
    sys.path.insert(0, stubs())
    sys.path.insert(0, os.path.abspath(args.adaleval))
    import pandas as pd
    from ada_leval.dataset import StackSelect, TextSort
    from ada_leval.smp import dump, load
    loom = None
    if args.loom:
        spec = importlib.util.spec_from_file_location("loom_eval", args.loom)
        loom = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(loom)

    rng = random.Random(args.seed)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    ss = object.__new__(StackSelect)
    ss.setting = "1k"
    ts = object.__new__(TextSort)
    ts.setting = "1k"
    cases = stackselect_cases(rng) + textsort_cases(rng)
    for c in cases:
        try:
            if c["task"] == "stackselect":
                df = pd.DataFrame({"prediction": [c["prediction"]], "answer": [c["answer"]], "num_choice": [c["num_choice"]]})
                acc = ss.evaluate(df)
                c["extracted"] = df["extracted"][0]
            else:
                df = pd.DataFrame({"prediction": [c["prediction"]], "answer": [c["answer"]]})
                acc = ts.evaluate(df)
            c["official"] = {"hit": int(acc == 100)}
        except Exception as e:
            c["official"] = {"error": type(e).__name__}
        if loom is not None:
            data = {"response": c["prediction"], "answer": c["answer"]}
            if c["task"] == "stackselect":
                data["all_answers"] = ["x"] * c["num_choice"]
            try:
                c["loom"] = {"hit": int(loom.loom_score(c["task"] + "_1k.jsonl", data))}
            except Exception as e:
                c["loom"] = {"error": type(e).__name__}
    # The whole StackSelect set through one evaluate call: the dataset accuracy.
    ssc = [c for c in cases if c["task"] == "stackselect"]
    df = pd.DataFrame({"prediction": [c["prediction"] for c in ssc], "answer": [c["answer"] for c in ssc], "num_choice": [c["num_choice"] for c in ssc]})
    totals = {"stackselect": ss.evaluate(df)}
    tsc = [c for c in cases if c["task"] == "textsort" and "hit" in c["official"]]
    df = pd.DataFrame({"prediction": [c["prediction"] for c in tsc], "answer": [c["answer"] for c in tsc]})
    totals["textsort"] = ts.evaluate(df)
    with open(os.path.join(out, "parity.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "cases": cases, "totals": totals}, f, ensure_ascii=False, indent=1)

    # A repository root: data, pickled predictions of three models (one API model: 'less'), a
    # per-rank pickle, an earlier result.json; scored as run.py's rank 0 does after inference.
    root = os.path.join(out, "official")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "data"))
    os.makedirs(os.path.join(root, "results"))
    ss_preds = [c["prediction"] for c in ssc]
    ts_preds = [c["prediction"] for c in cases if c["task"] == "textsort" and "hit" in c["official"]]
    data = {
        "stackselect_1k": [{"question_id": 5000 + i, "question": f"Question {i}?", "answer": f"A{rng.randint(1, 4)}",
                            "all_answers": [f"answer {j}" for j in range(rng.randint(4, 12))], "tags": ["python"]} for i in range(205)],
        "stackselect_32k": [{"question_id": 7000 + i, "question": f"Q{i}", "answer": f"A{rng.randint(1, 3)}",
                             "all_answers": ["a", "b", "c"], "tags": []} for i in range(60)],
        "textsort_2k": [{"book_id": 300 + i, "para_offset": [i, i + 1, i + 2, i + 3], "answer": rng.sample([1, 2, 3, 4], 4) if i % 3 else json.dumps(rng.sample([1, 2, 3, 4], 4)),
                         "prompt": f"Sort the segments {i}"} for i in range(12)],
    }
    for name, items in data.items():
        with open(os.path.join(root, "data", name + ".json"), "w", encoding="utf-8") as f:
            json.dump(items, f, ensure_ascii=False)
    def index(name, item):
        return f"{item['question_id']}_{item['answer']}" if name.startswith("stackselect") else f"{item['book_id']}_{'_'.join(str(x) for x in item['para_offset'])}"
    def preds_for(name, n):
        pool = ss_preds if name.startswith("stackselect") else ts_preds
        return {index(name, it): rng.choice(pool) for it in data[name][:n]}
    plan = {("internlm2-7b", "stackselect_1k"): 205, ("internlm2-7b", "textsort_2k"): 12, ("gpt-4-0125", "stackselect_1k"): 200,
            ("gpt-4-0125", "stackselect_32k"): 50, ("my-model", "stackselect_1k"): 200, ("my-model", "stackselect_32k"): 60}
    for (model, name), n in plan.items():
        preds = preds_for(name, n)
        if model == "internlm2-7b" and name == "stackselect_1k":
            keys = list(preds)
            dump({k: preds[k] for k in keys[:100]}, os.path.join(root, "results", f"{model}_{name}_0.pkl"))
            dump({k: "A1" for k in keys[100:150]}, os.path.join(root, "results", f"{model}_{name}_1.pkl"))
            dump({k: preds[k] for k in keys[100:]}, os.path.join(root, "results", f"{model}_{name}.pkl"))
        else:
            dump(preds, os.path.join(root, "results", f"{model}_{name}.pkl"))
    with open(os.path.join(root, "results", "notes.txt"), "w") as f:
        f.write("not a prediction file\n")
    dump({"older_stackselect_1k": 12.5, "\u6a21\u578b_textsort_1k": 4}, os.path.join(root, "result.json"))

    work = tempfile.mkdtemp(prefix="ada-root-")
    shutil.copytree(root, work, dirs_exist_ok=True)
    old = os.getcwd()
    os.chdir(work)
    try:
        settings = ['1k', '2k', '4k', '8k', '16k', '32k', '64k', '128k']
        datasets = [f'stackselect_{k}' for k in settings + ['6k', '12k']] + [f'textsort_{k}' for k in settings]
        results = load("result.json")
        for model in sorted({m for m, _ in plan}):
            for dname in [d for d in datasets if (model, d) in plan]:
                d, setting = dname.split("_")
                mode = "less" if model == "gpt-4-0125" else "normal"
                res = {}
                for i in range(2):
                    sub = f"results/{model}_{dname}_{i}.pkl"
                    if os.path.exists(sub):
                        res.update(load(sub))
                res.update(load(f"results/{model}_{dname}.pkl"))
                cls = StackSelect if d == "stackselect" else TextSort
                if model == "my-model":
                    # run.py does not know this model: loomscope takes 'normal' when every item of
                    # that count has a prediction, else 'less' (here: 200 of 205 at 1k, 60 of 60 at 32k).
                    mode = "normal" if all(k in res for k in cls(setting=setting, mode="normal").get_meta()["index"]) else "less"
                dataset = cls(setting=setting, mode=mode)
                meta = dataset.get_meta()
                meta["prediction"] = [res[k] for k in meta["index"]]
                results[f"{model}_{dname}"] = dataset.evaluate(meta)
        dump(results, "result.json")
    finally:
        os.chdir(old)
    shutil.copyfile(os.path.join(work, "result.json"), os.path.join(out, "official-result.json"))
    shutil.rmtree(work)

    # build_prompt of each dataset class for a record.
    tmp = tempfile.mkdtemp(prefix="ada-prompts-")
    os.makedirs(os.path.join(tmp, "data"))
    rec_ss = {"question_id": 1, "question": "How do I {format} a string?\nWith braces.", "answer": "A2", "all_answers": ["Use %.", "Use str.format: '{}'.format(x)", "Use f'{x}' — or t-strings"], "tags": ["python"]}
    rec_ts = {"book_id": 9, "para_offset": [3, 1, 2, 0], "answer": [2, 1, 4, 3], "prompt": "Segments:\n[1] a\n[2] b\nAnswer:"}
    with open(os.path.join(tmp, "data", "stackselect_1k.json"), "w") as f:
        json.dump([rec_ss], f)
    with open(os.path.join(tmp, "data", "textsort_1k.json"), "w") as f:
        json.dump([rec_ts], f)
    os.chdir(tmp)
    try:
        prompts = {"stackselect": StackSelect("1k").build_prompt(0), "textsort": TextSort("1k").build_prompt(0)}
    finally:
        os.chdir(old)
    shutil.rmtree(tmp)
    with open(os.path.join(out, "prompts.json"), "w", encoding="utf-8") as f:
        json.dump({"records": {"stackselect": rec_ss, "textsort": rec_ts}, "prompts": prompts}, f, ensure_ascii=False, indent=1)
    print(f"{len(cases)} cases; official root, result.json and prompts written under {out}")


if __name__ == "__main__":
    main()
