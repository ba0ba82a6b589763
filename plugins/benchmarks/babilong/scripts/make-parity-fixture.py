#!/usr/bin/env python3
"""Make BABILong parity fixtures by running the official scoring code.

    /usr/bin/python3 scripts/make-parity-fixture.py --babilong /path/to/babilong \
        [--loom /path/to/loom_scope] [--seed 1] [--out test/fixtures]

--babilong: a checkout of github.com/booydar/babilong (babilong/metrics.py, babilong/collect_results.py).
--loom:     the root of the loom-scope package (benchmarks/Reasoning/babilong/utils/evaluation/eval.py,
            benchmarks/utils/Tools.py, scripts/utils/ResultManager.py); optional.
--seed:     the seed of the generated predictions; the hand-written cases are the same for every seed,
            so a new seed gives an unseen set to check the scorer on.

Needs Debian's python3 with pandas and numpy. collect_results imports matplotlib, seaborn, tqdm and
IPython for its plots and notebook display; stand-ins are put in their place (the plot is not
reproduced). pandas: the official requirements pin pandas 2.2.2, whose read_csv also treats "None" as
missing; with an older pandas (Debian 12 has 1.5.3) that NA string is added to read_csv's defaults.
LOOM-Scope writes results.xlsx through openpyxl; DataFrame.to_excel is made a no-op.

Writes under --out:
  parity.json                   compare_answers cases (official and LOOM-Scope) with the official verdicts
  babilong_evals/<org>/<model>/ prediction CSVs in the official layout (written with pandas to_csv, as
                                run_model_on_babilong.py writes them)
  official-result/              what collect_results writes for them: <org>/<model>.csv per model
                                (process_single_model) and all_results.csv (process_all_models), with
                                collect.json: the per-configuration matrices and the model order
  crash_evals/<org>/<model>/    a folder the official collection fails on, and crash.json: its error
  loom_preds/, loom-result/     LOOM-Scope prediction files and what its eval.py writes (with --loom)
The official code itself is not copied anywhere.
"""
import argparse
import importlib
import io
import json
import os
import random
import shutil
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))

QUESTIONS = {
    "qa1": [("Where is Mary? ", "bathroom"), ("Where is John? ", "hallway"), ("Where is Sandra? ", "kitchen")],
    "qa2": [("Where is the football? ", "garden"), ("Where is the milk? ", "office")],
    "qa3": [("Where was the apple before the kitchen? ", "bathroom"), ("Where was the football before the bedroom? ", "garden")],
    "qa4": [("What is the kitchen south of?", "bedroom"), ("What is west of the bedroom?", "garden")],
    "qa5": [("Who gave the football to Fred? ", "Jeff"), ("What did Bill give to Mary? ", "milk"), ("Who received the apple? ", "Fred")],
    "qa6": [("Is John in the garden? ", "yes"), ("Is Mary in the office? ", "no")],
    "qa7": [("How many objects is Mary carrying? ", "none"), ("How many objects is Daniel carrying? ", "one"),
            ("How many objects is Sandra carrying? ", "two")],
    "qa8": [("What is Daniel carrying? ", "apple,milk"), ("What is Sandra carrying? ", "nothing"),
            ("What is Mary carrying? ", "football"), ("What is John carrying? ", "milk,football")],
    "qa9": [("Is Sandra in the bedroom? ", "no"), ("Is Mary in the kitchen? ", "yes")],
    "qa10": [("Is Bill in the park? ", "maybe"), ("Is Fred in the school? ", "no"), ("Is Julie in the cinema? ", "yes")],
    "qa11": [("Where is Daniel? ", "garden")],
    "qa12": [("Where is Mary? ", "kitchen")],
    "qa13": [("Where is Sandra? ", "hallway")],
    "qa14": [("Where was Julie before the school? ", "park"), ("Where was Mary before the bedroom? ", "cinema")],
    "qa15": [("What is gertrude afraid of? ", "wolf"), ("What is emily afraid of? ", "sheep")],
    "qa16": [("What color is Greg? ", "green"), ("What color is Brian? ", "white")],
    "qa17": [("Is the pink rectangle to the right of the blue square? ", "yes"), ("Is the red square above the triangle? ", "no")],
    "qa18": [("Does the box fit in the suitcase? ", "no"), ("Is the chocolate bigger than the box? ", "yes")],
    "qa19": [("How do you go from the kitchen to the garden? ", "s,e"), ("How do you go from the office to the hallway? ", "n,w")],
    "qa20": [("Why did yann go to the kitchen? ", "hungry"), ("Where will sumit go? ", "bedroom")],
}

LABELS = {
    "qa1": ["bathroom", "bedroom", "garden", "hallway", "kitchen", "office"],
    "qa5": ["Bill", "Fred", "Jeff", "Mary", "apple", "football", "milk"],
    "qa7": ["none", "one", "three", "two"],
    "qa8": ["apple", "football", "milk", "nothing"],
    "qa10": ["maybe", "no", "yes"],
    "qa14": ["bedroom", "cinema", "kitchen", "office", "park", "school"],
    "qa15": ["cat", "mouse", "sheep", "wolf"],
    "qa16": ["gray", "green", "white", "yellow"],
    "qa19": ["e,e", "e,n", "e,s", "n,e", "n,n", "n,w", "s,e", "s,s", "s,w", "w,n", "w,s", "w,w"],
    "qa20": ["bedroom", "bored", "garden", "hungry", "kitchen", "thirsty", "tired"],
}
for t in ("qa2", "qa3", "qa4", "qa11", "qa12", "qa13"):
    LABELS[t] = LABELS["qa1"]
for t in ("qa6", "qa9", "qa17", "qa18"):
    LABELS[t] = ["no", "yes"]

# Hand-written outputs: {T} is the target, {O} another label of the task.
TEMPLATES = [
    "{T}", "{T}.", " {T} ", "{Tu}", "{Tt}", "Answer: {T}", "The answer is {T}.", "{T}, {O}", "{O}, {T}", "{T}. {O}.",
    "{O}. {T}.", "{T}<context>{O}", "{O}<context>{T}", "<example>{T}", "{T}\n\nQuestion: {O}", "{T}\n\nquestion: {O}",
    "", ".", "   ", "{T}{O}", "{O}", "mr. {T}", "{T} and {O}", "I think it is {T}", "It is not {O}, it is {T}",
    "The most recent location of Mary is {T}. Do not write anything else", "{T}!", "{T}?", "'{T}'", "\"{T}\"",
    "{T}\u3002{O}", "{T}\u2024{O}", "\u00a0{T}\u00a0", "{T} " + "filler " * 300, "\u0130{T}", "{T}\u0301",
]
EXTRA = [
    ("qa7", "How many objects is Mary carrying? ", "none", ["none", "None.", "one", "zero", "Mary carries nothing", "none of them", "two", "NONE"]),
    ("qa7", "How many objects is Daniel carrying? ", "one", ["one", "One.", "1", "one object", "someone", "two or one", "three"]),
    ("qa6", "Is John in the garden? ", "yes", ["Yes", "yes, no", "Yes.", "yEs", "yes - not sure", "Not sure", "nope", "y", "yes yes"]),
    ("qa6", "Is Mary in the office? ", "no", ["No", "no.", "Not in the office", "nothing", "No, she is not.", "know", "yes", "unknown"]),
    ("qa10", "Is Bill in the park? ", "maybe", ["maybe", "Maybe.", "maybe yes", "perhaps", "it is unknown", "Maybe not", "may be"]),
    ("qa8", "What is Daniel carrying? ", "apple,milk", ["apple,milk", "milk,apple", "apple, milk", "apple and milk", "apple",
                                                         "apple,milk,football", "The apple. milk", "milk", "nothing", "Apple,Milk"]),
    ("qa8", "What is Sandra carrying? ", "nothing", ["nothing", "Nothing.", "nothing, apple", "none", "no items", "not anything"]),
    ("qa19", "How do you go from the kitchen to the garden? ", "s,e", ["s,e", "s, e", "S,E", "south, east", "s,e.", "s,e,n", "se",
                                                                    "s,e,e", "e,s", "s,w"]),
    ("qa5", "Who gave the football to Fred? ", "Jeff", ["Jeff", "Jeff gave it to Fred", "jeff", "Bill", "Jeff and Bill",
                                                       "Fred", "Jefferson", "The football was given by Jeff."]),
    ("qa3", "Where was the apple before the kitchen? ", "bathroom", ["Before the kitchen the apple was in the bathroom.",
                                                                       "bathroom", "kitchen", "the bathroom, then the kitchen",
                                                                       "bathroom bedroom"]),
    ("qa15", "What is gertrude afraid of? ", "wolf", ["wolf", "wolves", "Wolf.", "a wolf and a cat", "cat"]),
    ("qa20", "Why did yann go to the kitchen? ", "hungry", ["hungry", "He was hungry.", "thirsty", "hungry and tired", "kitchen"]),
]


def render(tpl, target, other):
    return (tpl.replace("{Tu}", target.upper()).replace("{Tt}", target.title())
            .replace("{T}", target).replace("{O}", other))


def hand_cases():
    cases = []
    tasks = list(QUESTIONS)
    for i, tpl in enumerate(TEMPLATES):
        for k in range(3):
            task = tasks[(i * 3 + k) % len(tasks)]
            q, target = QUESTIONS[task][(i + k) % len(QUESTIONS[task])]
            others = [l for l in LABELS[task] if l.lower() != target.lower() and l.lower() not in target.lower()]
            other = others[(i + k) % len(others)]
            cases.append({"task": task, "question": q, "target": target, "output": render(tpl, target, other),
                          "note": "template %d" % i})
    for task, q, target, outs in EXTRA:
        for o in outs:
            cases.append({"task": task, "question": q, "target": target, "output": o, "note": "extra"})
    return cases


PIECES = ["the", "is", "in", "it", "was", "Answer:", "not", ",", ".", "!", "<context>", "<example>", "Question", "\n",
          "yes", "no", "maybe", "one", "none", "nothing", "?", "'", "\u2019"]


def random_output(rng, task, target):
    words = []
    for _ in range(rng.randint(0, 6)):
        r = rng.random()
        if r < 0.35:
            words.append(rng.choice(LABELS[task]))
        elif r < 0.5:
            words.append(target)
        else:
            words.append(rng.choice(PIECES))
    text = rng.choice([" ", "", ", ", " . "]).join(words)
    r = rng.random()
    if r < 0.2:
        text = text.upper()
    elif r < 0.3:
        text = text.title()
    return text


def random_cases(rng, n):
    cases = []
    tasks = list(QUESTIONS)
    for _ in range(n):
        task = rng.choice(tasks)
        q, target = rng.choice(QUESTIONS[task])
        cases.append({"task": task, "question": q, "target": target, "output": random_output(rng, task, target),
                      "note": "random"})
    return cases


def stub_modules():
    for name in ["matplotlib", "matplotlib.pyplot", "matplotlib.colors", "seaborn", "tqdm", "tqdm.auto", "IPython",
                 "IPython.display", "loguru"]:
        mod = types.ModuleType(name)
        sys.modules[name] = mod
    sys.modules["matplotlib"].rc = lambda *a, **k: None
    sys.modules["matplotlib.colors"].LinearSegmentedColormap = None
    sys.modules["tqdm.auto"].tqdm = lambda it, **k: it
    sys.modules["IPython.display"].display = lambda *a, **k: None

    class Logger:
        lines = []

        def remove(self, *a, **k):
            pass

        def add(self, *a, **k):
            pass

        def info(self, message, *a, **k):
            Logger.lines.append(message)
    sys.modules["loguru"].logger = Logger()


def pandas_like_222(pd):
    """Give read_csv the NA strings of pandas 2.2.2 (it added "None")."""
    from pandas._libs.parsers import STR_NA_VALUES
    if "None" in STR_NA_VALUES:
        return
    original = pd.read_csv

    def read_csv(*args, **kwargs):
        kwargs.setdefault("na_values", ["None"])
        return original(*args, **kwargs)
    pd.read_csv = read_csv


def write_predictions(pd, path, rows):
    """run_model_on_babilong.py: df = pd.DataFrame({'target': [], 'output': [], 'question': []});
    df.loc[len(df)] = [target, output, question]; df.to_csv(outfile)."""
    df = pd.DataFrame({"target": [], "output": [], "question": []})
    for r in rows:
        df.loc[len(df)] = [r["target"], r["output"], r["question"]]
    df.to_csv(path)


def build_evals(pd, rng, root, pool):
    cfg_a = "instruction_yes_examples_yes_post_prompt_yes_chat_template_yes_system_prompt_no"
    cfg_b = "instruction_no_examples_no_post_prompt_no_chat_template_no_system_prompt_no"
    plan = {
        "test-org/model-a": {
            cfg_a: {t: ["0k", "1k", "4k", "128k", "1M"] for t in ["qa1", "qa2", "qa3", "qa4", "qa5", "qa6", "qa8", "qa10", "qa12"]},
            cfg_b: {t: ["0k", "1k", "4k"] for t in ["qa1", "qa2", "qa3", "qa4", "qa5", "qa7"]},
        },
        "test-org/model-b": {cfg_a: {t: ["0k", "2k", "16k"] for t in ["qa1", "qa2", "qa9"]}},
        "other-org/model-c": {cfg_b: {t: ["0k", "64k", "10M"] for t in ["qa1", "qa2", "qa3", "qa4", "qa5", "qa19"]}},
    }
    special = {
        ("test-org/model-a", cfg_a, "qa6", "1k"): ["1", "2", "007", "+5"],            # int64 column -> astype(str)
        ("test-org/model-a", cfg_a, "qa6", "4k"): ["1.5", "", "yes", "no"],           # object with NaN
        ("test-org/model-a", cfg_a, "qa8", "0k"): ["None", "NA", "nothing", "null"],  # NA strings
        ("test-org/model-a", cfg_a, "qa10", "0k"): ["True", "False", "TRUE"],         # bool column
        ("test-org/model-a", cfg_a, "qa10", "1k"): ["1", "", "2.5"],                  # float64 column with NaN
        ("test-org/model-a", cfg_b, "qa5", "4k"): ['Jeff, "the" one', "a\nb\r\nJeff", "Jeff,Bill", '"Jeff"'],
    }
    for model, configs in plan.items():
        d = os.path.join(root, model)
        os.makedirs(d, exist_ok=True)
        for cfg, tasks in configs.items():
            for task, lengths in tasks.items():
                for length in lengths:
                    key = (model, cfg, task, length)
                    n = rng.randint(3, 9)
                    rows = []
                    for i in range(n):
                        q, target = rng.choice(QUESTIONS[task])
                        if key in special:
                            if i >= len(special[key]):
                                break
                            out = special[key][i]
                        elif rng.random() < 0.45:
                            out = rng.choice([target, target + ".", "The answer is " + target, target.upper()])
                        else:
                            out = rng.choice(pool)
                        rows.append({"target": target, "question": q, "output": out})
                    write_predictions(pd, os.path.join(d, "%s_%s_%s.csv" % (task, length, cfg)), rows)
                    with open(os.path.join(d, "%s_%s_%s.json" % (task, length, cfg)), "w") as f:
                        json.dump({"prompt": {"stand-in": True}}, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--babilong", required=True)
    ap.add_argument("--loom")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "test", "fixtures"))
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    rng = random.Random(args.seed)

    stub_modules()
    import pandas as pd
    pandas_like_222(pd)
    sys.path.insert(0, os.path.abspath(args.babilong))
    metrics = importlib.import_module("babilong.metrics")
    collect = importlib.import_module("babilong.collect_results")

    # 1. compare_answers, case by case.
    cases = hand_cases() + random_cases(rng, 160)
    for c in cases:
        c["expected"] = bool(metrics.compare_answers(c["target"], c["output"], c["question"], metrics.TASK_LABELS[c["task"]]))
    loom_cases = []
    if args.loom:
        sys.path.insert(0, os.path.abspath(args.loom))
        lm = importlib.import_module("benchmarks.Reasoning.babilong.utils.evaluation.metrics")
        for c in cases + [{"task": "qa1", "question": "Where is Mary? ", "target": "bathroom", "output": None, "note": "None"},
                          {"task": "qa6", "question": "Is John in the garden? ", "target": "yes", "output": None, "note": "None"}]:
            loom_cases.append({**{k: v for k, v in c.items() if k != "expected"},
                               "expected": bool(lm.compare_answers(c["target"], c["output"], c["question"], lm.TASK_LABELS[c["task"]]))})
        try:
            metrics.compare_answers("bathroom", None, "Where is Mary?", metrics.TASK_LABELS["qa1"])
        except AttributeError:
            pass
        else:
            raise SystemExit("expected the official compare_answers to fail on None")
    with open(os.path.join(out, "parity.json"), "w") as f:
        json.dump({"seed": args.seed, "cases": cases, "loom_cases": loom_cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")

    # 1b. get_formatted_input for every task and switch combination.
    prompts_mod = importlib.import_module("babilong.prompts")
    contexts = [("  Mary went to the bathroom. John moved to the hallway.\n\n", "Where is Mary? "),
                ("{braces} stay {0} as text", "   "),
                ("\u00a0Sandra journeyed to the kitchen.\u3000", "Where is Sandra?\n")]
    prompt_cases = []
    for task, p in prompts_mod.DEFAULT_PROMPTS.items():
        for combo in range(8):
            use_i, use_e, use_p = bool(combo & 1), bool(combo & 2), bool(combo & 4)
            context, question = contexts[(combo + int(task[2:])) % len(contexts)]
            text = prompts_mod.get_formatted_input(context, question, p["examples"] if use_e else "",
                                                   p["instruction"] if use_i else "", p["post_prompt"] if use_p else "",
                                                   template=prompts_mod.DEFAULT_TEMPLATE)
            prompt_cases.append({"task": task, "use_instruction": use_i, "use_examples": use_e, "use_post_prompt": use_p,
                                 "context": context, "question": question, "expected": text})
    with open(os.path.join(out, "prompts.json"), "w") as f:
        json.dump({"default_template": prompts_mod.DEFAULT_TEMPLATE, "cases": prompt_cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")

    # 2. The collection: prediction CSVs -> collect_results' tables and files.
    evals = os.path.join(out, "babilong_evals")
    result = os.path.join(out, "official-result")
    for d in (evals, result):
        shutil.rmtree(d, ignore_errors=True)
    pool = [c["output"] for c in cases if "filler" not in c["output"]]
    build_evals(pd, rng, evals, pool)

    class Fig:
        def savefig(self, *a, **k):
            pass
    collect.plot_results = lambda *a, **k: Fig()
    collect.plt = types.SimpleNamespace(close=lambda *a, **k: None)
    from pathlib import Path
    record = {"models": {}, "model_order": []}
    for model in ["test-org/model-a", "test-org/model-b", "other-org/model-c"]:
        results, tasks, lengths = collect.get_model_results(Path(evals) / model, [], [])
        collect.process_single_model(model, Path(evals), [], [], Path(result))
        record["models"][model] = {"tasks": tasks, "lengths": lengths,
                                   "configs": {k: v.tolist() for k, v in results.items()}}
    all_dir = tempfile.mkdtemp(prefix="babilong-all-")
    captured = io.StringIO()
    real_stdout = sys.stdout
    sys.stdout = captured
    try:
        collect.process_all_models(Path(evals), [], [], Path(all_dir))
    finally:
        sys.stdout = real_stdout
    line = [l for l in captured.getvalue().splitlines() if l.startswith("[")][0]
    record["model_order"] = eval(line)  # the list process_all_models printed
    shutil.copy(os.path.join(all_dir, "all_results.csv"), os.path.join(result, "all_results.csv"))
    shutil.rmtree(all_dir)
    with open(os.path.join(result, "collect.json"), "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")

    # 3. Folders the collection fails on: True and NaN in one output column (object dtype, a bool left
    # in it: 'bool' object has no attribute 'lower'), and a file with no rows (DataFrame.apply returns
    # an empty DataFrame, which cannot be set as the 'correct' column).
    crash = os.path.join(out, "crash_evals")
    shutil.rmtree(crash, ignore_errors=True)
    crashes = {
        "test-org/model-x": [{"target": "yes", "output": "True", "question": "Is John in the garden?"},
                             {"target": "no", "output": "", "question": "Is Mary in the office?"}],
        "test-org/model-y": [],
    }
    errors = {}
    for model, rows in crashes.items():
        d = os.path.join(crash, model)
        os.makedirs(d)
        write_predictions(pd, os.path.join(d, "qa6_0k_instruction_yes.csv"), rows)
        try:
            collect.process_single_model(model, Path(crash), [], [], None)
            errors[model] = None
        except Exception as e:  # noqa: BLE001
            errors[model] = type(e).__name__
    with open(os.path.join(crash, "crash.json"), "w") as f:
        json.dump(errors, f, indent=1)
        f.write("\n")

    # 4. LOOM-Scope's eval.py on <task>_<length>.jsonl files.
    if args.loom:
        preds = os.path.join(out, "loom_preds")
        lres = os.path.join(out, "loom-result")
        for dd in (preds, lres):
            shutil.rmtree(dd, ignore_errors=True)
            os.makedirs(dd)
        lens = {"0k": [180, 500], "4k": [3900, 8001], "16k": [15990, 16010], "32k": [31990, 64010], "128k": [127000, 131000]}
        for task in ["qa1", "qa2", "qa7", "qa8", "qa19"]:
            for length, (lo, hi) in lens.items():
                with open(os.path.join(preds, "%s_%s.jsonl" % (task, length)), "w") as f:
                    for i in range(rng.randint(2, 6)):
                        q, target = rng.choice(QUESTIONS[task])
                        r = rng.random()
                        o = None if r < 0.1 else (target if r < 0.5 else rng.choice(pool))
                        f.write(json.dumps({"output": o, "question": q, "target": target, "LEN": rng.randint(lo, hi)}) + "\n")
        pd.DataFrame.to_excel = lambda *a, **k: None
        captured = io.StringIO()
        sys.stdout = captured
        try:
            ev = importlib.import_module("benchmarks.Reasoning.babilong.utils.evaluation.eval")
            ev.evaluate(preds, lres, {})
        finally:
            sys.stdout = real_stdout
        # What the tables print, recomputed from the same lists the eval builds.
        scores_task, scores_length = {}, {}
        tools = importlib.import_module("benchmarks.utils.Tools")
        for name in sorted(os.listdir(preds)):
            task = "_".join(name.split("_")[:-1])
            with open(os.path.join(preds, name)) as f:
                for line in f:
                    r = json.loads(line)
                    s = lm.compare_answers(r["target"], r["output"], r["question"], lm.TASK_LABELS[task])
                    scores_task.setdefault(task, []).append(s)
                    scores_length.setdefault(tools.categorize_length(r["LEN"]), []).append(s)
        log = [l for l in sys.modules["loguru"].logger.lines if l.startswith("|") and "---" not in l]
        with open(os.path.join(lres, "printed.json"), "w") as f:
            json.dump({
                "log": log,
                "tasks": {t: round(100 * sum(v) / len(v), 2) for t, v in scores_task.items()},
                "lengths": {k: round(100 * sum(v) / len(v), 2) for k, v in scores_length.items()},
                "counts": {t: len(v) for t, v in scores_task.items()},
                "length_counts": {k: len(v) for k, v in scores_length.items()},
            }, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
