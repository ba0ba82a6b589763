#!/usr/bin/env python3
"""Parity fixture for @loomscope/benchmark-infinitebench, from InfiniteBench's own compute_scores.py.

    /usr/bin/python3 scripts/make-parity-fixture.py /path/to/InfiniteBench --rouge-score DIR [--seed 0]

/path/to/InfiniteBench: a checkout of github.com/OpenBMB/InfiniteBench (src/compute_scores.py is imported
and run unmodified). DIR holds Google's `rouge_score` package (PyPI rouge-score 0.1.2). compute_scores.py does
`evaluate.load("rouge")`; HF `evaluate` cannot be installed here, so a stand-in module `evaluate` is put on the
path whose `load("rouge").compute(...)` is HF evaluate's metrics/rouge/rouge.py `_compute` (same defaults:
rouge1/rouge2/rougeL/rougeLsum, use_stemmer=False, score_multi for list references, per-example fmeasure lists
with use_aggregator=False) on top of rouge_score. Debian 12's python3 with python3-nltk, python3-numpy, python3-tqdm,
python3-jieba. eval_utils.py (imported through args.py) imports pltrdy's `rouge` at module level without using it in
compute_scores.py: an empty stand-in `rouge` module is provided.

Writes test/fixtures/parity.json (per-case scores and per-task means, or the exception the official code raises)
and test/fixtures/results/<model>/preds_<task>.jsonl with what `compute_scores.py --task all --model_name <model>`
printed for them (test/fixtures/official-printed.json). Only inputs and the official outputs are written, never the
official code. A different --seed gives a different, unseen set (INFINITEBENCH_FIXTURE=path checks it).
"""
import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "test", "fixtures")

EVALUATE_STANDIN = '''
"""Stand-in for HF evaluate: load("rouge") only, as metrics/rouge/rouge.py computes it."""
from rouge_score import rouge_scorer, scoring


class _Rouge:
    def compute(self, predictions, references, rouge_types=None, use_aggregator=True, use_stemmer=False, tokenizer=None):
        if rouge_types is None:
            rouge_types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
        multi_ref = isinstance(references[0], list)
        scorer = rouge_scorer.RougeScorer(rouge_types=rouge_types, use_stemmer=use_stemmer, tokenizer=tokenizer)
        if use_aggregator:
            aggregator = scoring.BootstrapAggregator()
        else:
            scores = []
        for ref, pred in zip(references, predictions):
            if multi_ref:
                score = scorer.score_multi(ref, pred)
            else:
                score = scorer.score(ref, pred)
            if use_aggregator:
                aggregator.add_scores(score)
            else:
                scores.append(score)
        if use_aggregator:
            result = aggregator.aggregate()
            for key in result:
                result[key] = result[key].mid.fmeasure
        else:
            result = {}
            for key in scores[0]:
                result[key] = list(score[key].fmeasure for score in scores)
        return result


def load(name, *args, **kwargs):
    assert name == "rouge", name
    return _Rouge()
'''

WORDS = ("the cat sat on a mat while an old man read the news about rivers mountains and "
         "cities of the world in the summer of nineteen eighty four").split()
ZH = ["田立帆", "商老太", "王剑英", "王剑杰", "福气龙", "慕容景岳", "薛鹊", "胡一刀", "马行空", "徐峥", "程紫洁", "阎基", "，", "、", "。", "（", "）", "“", "”"]
NAMES = ["ACE", "ACE ROTHSTEIN", "GAGGI", "Remo", "remo Gaggi", "JIM", "GARRISON", "NICKY", "STRASSE", "Ǆ", "ÉCOLE"]


def uuid(rng):
    h = "0123456789abcdef"
    return "-".join("".join(rng.choice(h) for _ in range(n)) for n in (8, 4, 4, 4, 12))


def cases_for(task, rng):
    """(prediction, label, model_name) triples, adversarial for the task's parsing."""
    out = []
    add = lambda p, l, m="gpt4": out.append((p, l, m))
    if task in ("passkey", "number_string"):
        for _ in range(14):
            key = "".join(rng.choice("0123456789") for _ in range(5 if task == "passkey" else 10))
            label = rng.choice([key, [key], [key, "x"]])
            for p in [f"The pass key is {key}.", key, f"{key}.", f"0{key}", f"{key[:-1]} {key[-1]}", f"abc{key}def",
                      f"first 12 then {key}", f"{key}\n{key}", "", "no digits here", f"-{key}", f"{key}.5",
                      "\u0661\u0662\u0663 " + key, f"ｐass {key}", f"{key[1:]}"]:
                add(p, label)
        add("71432", 71432)
        add("", [])  # IndexError: label[0]
    elif task == "kv_retrieval":
        for _ in range(12):
            v = uuid(rng)
            label = rng.choice([v, v, [v]])
            for p in [v, f'"{v}"', f"The value is: \"{v}\".", f"{{{v}}}", f"{v}!", f"'{v}'?", f"value:{v}",
                      f"{v[:-1]}", f"{v}-x", f"prefix {v}\nsuffix", "", "  ", f"{v.upper()}", f"({v})", f"{v};"]:
                add(p, label)
    elif task == "code_run":
        for _ in range(10):
            n = rng.randint(-30, 30)
            label = rng.choice([n, [n], float(n), [float(n)]])
            for p in [f"The return value is: {n}.", str(n), f"{n}\n", f"func(1) = {n}`", f"'{n}'", f"{n}.0", "",
                      "   ", f"+{n}" if n >= 0 else f"{n}", f"--{abs(n)}", f"{n} is the answer", f"value: {n}:",
                      "1_000", "\u0661\u0662", "१२", f"{n}\u3000", "4 func_1(2)", "12345678901234567890"]:
                add(p, label)
        add("1000", [1000])
        add("1_000", 1000)
    elif task == "code_debug":
        opts = ["repack_carchive", "Configer._set_option", "cmd_gen", "_fix_config"]
        for i in range(12):
            letter = "ABCD"[i % 4]
            fn = opts[i % 4]
            label = [fn, letter]
            for p in [f"{letter}. {fn}", f"{letter}: x", f"{letter}", f" {letter}.", f"The answer is: {letter}",
                      f"The answer is: {fn}", f"answer: {letter}", f"is:{letter}", f"is: {letter}", "The answer is:",
                      f"correct option is: {letter}", f"Option {letter}", f"The correct option is: Option {letter}",
                      f"answer is `{fn}`", f"- {letter} -", f"it is: *{fn}*", "", f"answer:\n{letter}",
                      f"{'ABCD'[(i + 1) % 4]}. wrong", f"The answer is: {'ABCD'[(i + 2) % 4]}", f"is:  {letter}"]:
                add(p, label)
    elif task == "math_find":
        for _ in range(10):
            n = rng.randint(0, 99)
            label = rng.choice([n, [n], float(n), [n + 0.5], n + 0.5])
            for p in [str(n), f"The largest number is {n}.", f"{n}.0", f"{n}.5", "\u0668\u0668", f"{n} or {n + 1}",
                      "none", "", f"-{n}", f"1,234 then {n}", f"{n}\n\nsmallest 1", "०", f"{n:03d}"]:
                try:
                    out.append((p, label, "gpt4"))
                except Exception:
                    pass
        add("88", "88")  # TypeError: label is a str
        add("88", True)
    elif task == "longdialogue_qa_eng":
        for _ in range(10):
            label = rng.sample(NAMES, rng.randint(1, 3))
            first = label[0]
            for p in [first, first.lower(), f"{first}.", f'"{first}"', f"It's {first}!", f"{first}:", f"Nicky {first}",
                      f"{first.title()}'s", "", "Someone else", f"{first}\n", f"the {first.lower()} guy", "straße", "ǆ", "école"]:
                add(p, label)
        add("A", "ACE")  # a str label: its first character
    elif task == "longbook_choice_eng":
        for i in range(12):
            letter = "ABCD"[i % 4]
            text = rng.choice(["Walking Georgie", "Snowfield", "At the Mauras", "Methodist"])
            label = [text, letter]
            for p in [letter, f"{letter}. {text}", f" {letter}", f"{letter.lower()}", text, f"The answer is: {letter}",
                      f"The answer is {letter}", f"answer is {text}", f"option is {letter}", f"answer: {text}",
                      f"I think {'ABCD'[(i + 1) % 4]}", "AB", f"I choose {letter}{'ABCD'[(i + 1) % 4]}", "", "   ",
                      "The answer is:", "answer is", f"Dear reader, the answer to your question is {letter}.",
                      f":\n\n{letter}", "none of these", f"\"{letter}\"", "ABCD", f"maybe BCD or {letter}"]:
                add(p, label)
        add("A", "A")  # label str: `pred[0] in label` is a substring test
    elif task == "longbook_qa_eng":
        for _ in range(60):
            gt = " ".join(rng.sample(WORDS, rng.randint(1, 6)))
            label = rng.choice([[gt], [gt, " ".join(rng.sample(WORDS, 3))]])
            p = rng.choice([gt, gt.upper() + ".", "The " + gt + "!", " ".join(rng.sample(WORDS, rng.randint(0, 8))), "",
                            "a an the", gt + " " + gt, "Ünïcödé " + gt, gt.replace(" ", "\u3000")])
            add(p, label)
        add("the cat", "cat")  # a str label: every character is a reference
    elif task == "longbook_qa_chn":
        for _ in range(60):
            gt = "".join(rng.sample(ZH, rng.randint(1, 6)))
            label = [gt]
            p = rng.choice([gt, gt + "。", "".join(rng.sample(ZH, rng.randint(0, 8))), "", "答案：" + gt, gt.replace("，", ", "),
                            " ".join(gt), "ABC" + gt, "　" + gt + "\n"])
            add(p, label)
    elif task == "longbook_sum_eng":
        for _ in range(40):
            ref = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))
            if rng.random() < 0.5:
                ref = ref.replace(" of ", ".\n")
            label = [ref]
            words = ref.split()
            pred = rng.choice([
                ref, "\n".join(" ".join(words[i:i + 7]) for i in range(0, len(words), 7)),
                " ".join(rng.sample(words, min(len(words), 10))), "", "\n\n", "Summary:\n" + ref.upper(),
                ref.replace(" ", "-"), "Ünïcödé " + ref, "\n".join(rng.sample(WORDS, 8)), ref + "\n" + ref,
            ])
            add(pred, label)
        add("a b c", ["a b", "a b c d"])  # two references: the best fmeasure wins
        add("x", [])  # ValueError: argmax of an empty sequence
    elif task == "math_calc":
        for _ in range(12):
            vals = [rng.randint(-50, 99) for _ in range(rng.randint(1, 12))]
            label = rng.choice([vals, [vals]])
            for model in ("gpt4", "yarn-mistral"):
                for p in [str(vals), "[0, " + str(vals)[1:], " ".join(str(v) for v in vals), str(vals[:3]), "", "[]",
                          str([abs(v) for v in vals]), "Values: " + str(vals), str(vals[1:])]:
                    add(p, label, model)
        add("[1]", 5)  # AssertionError: label is not a list
        add("[1]", [[]])  # ZeroDivisionError
    return out


def py_value(v):
    """What json.loads of the fixture will give back: keep floats distinguishable."""
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("official", help="checkout of OpenBMB/InfiniteBench")
    ap.add_argument("--rouge-score", required=True, help="directory holding the rouge_score package")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=os.path.join(FIXTURES, "parity.json"))
    ap.add_argument("--results-out", default=os.path.join(FIXTURES, "results"))
    a = ap.parse_args()

    stand = tempfile.mkdtemp()
    with open(os.path.join(stand, "evaluate.py"), "w") as f:
        f.write(EVALUATE_STANDIN)
    # compute_scores.py -> args.py -> eval_utils.py imports `from rouge import Rouge` (pltrdy rouge) at module
    # level; nothing compute_scores.py runs uses it, so an empty stand-in is enough to import the module.
    with open(os.path.join(stand, "rouge.py"), "w") as f:
        f.write("class Rouge:\n    pass\n")
    sys.path[:0] = [os.path.join(os.path.abspath(a.official), "src"), stand, os.path.abspath(a.rouge_score)]
    sys.argv = ["compute_scores.py"]
    import compute_scores as cs  # noqa: E402

    rng = random.Random(a.seed)
    tasks = list(cs.ALL_TASKS)
    fixture = {"generator": "scripts/make-parity-fixture.py", "seed": a.seed, "tasks": {}}
    for task in tasks:
        rows = []
        ok_scores = {}
        for pred, label, model in cases_for(task, rng):
            try:
                value = cs.get_score_one(pred, label, task, model)
                rows.append({"pred": pred, "label": label, "model": model, "score": value})
                ok_scores.setdefault(model, []).append((pred, label))
            except Exception as e:  # the official code raises: we must too
                rows.append({"pred": pred, "label": label, "model": model, "error": type(e).__name__})
        means = {}
        for model, pl in ok_scores.items():
            means[model] = cs.get_score([l for _, l in pl], [p for p, _ in pl], task, model)
        fixture["tasks"][task] = {"cases": rows, "means": means}
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, indent=0)
        f.write("\n")

    # Official prediction folders, scored by running compute_scores.py itself.
    printed = {}
    if os.path.isdir(a.results_out):
        shutil.rmtree(a.results_out)
    for model, key_style in (("gpt4", ("prediction", "ground_truth")), ("yarn-mistral", ("pred", "label"))):
        mdir = os.path.join(a.results_out, model)
        os.makedirs(mdir)
        for task in tasks:
            good = [r for r in fixture["tasks"][task]["cases"] if "error" not in r]
            pick = rng.sample(good, min(len(good), 12))
            with open(os.path.join(mdir, f"preds_{task}.jsonl"), "w", encoding="utf8") as f:
                for i, r in enumerate(pick):
                    line = {"id": i, key_style[0]: r["pred"], key_style[1]: r["label"]}
                    f.write(json.dumps(line, ensure_ascii=False) + "\n")
                    if i == 3:
                        f.write("\n")  # a blank line: iter_jsonl skips it
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([stand, os.path.abspath(a.rouge_score)]))
        proc = subprocess.run([sys.executable, "compute_scores.py", "--task", "all", "--model_name", model,
                               "--output_dir", os.path.abspath(a.results_out)],
                              cwd=os.path.join(os.path.abspath(a.official), "src"), env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        lines = [l for l in proc.stdout.splitlines() if l.strip()]
        values = [l for l in lines if not l.startswith("Loading prediction results from")]
        printed[model] = dict(zip(tasks, values))
    with open(os.path.join(os.path.dirname(os.path.abspath(a.results_out)), "official-printed.json"), "w", encoding="utf-8") as f:
        json.dump(printed, f, indent=1)
        f.write("\n")
    # Prompts and answers of the data fixture, by eval_utils.py create_prompt / create_msgs / get_answer.
    import copy
    import eval_utils as eu  # noqa: E402

    class CharTokenizer:  # create_msgs only needs encode/decode; fixture prompts are far below the limit
        def encode(self, text):
            return list(text)

        def decode(self, tokens):
            return "".join(tokens)

    data_dir = os.path.join(FIXTURES, "data")
    prompts = {}
    for task in tasks:
        rows = []
        with open(os.path.join(data_dir, f"{task}.jsonl"), encoding="utf8") as f:
            for line_no, line in enumerate(f, 1):
                try:
                    eg = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if "input" not in eg:
                    continue
                row = {"line": line_no, "prompts": {}}
                for model in eu.MODEL_TO_PROMPT_TEMPLATE:
                    try:
                        row["prompts"][model] = {"text": eu.create_prompt(copy.deepcopy(eg), task, model, data_dir)}
                    except Exception as e:
                        row["prompts"][model] = {"error": type(e).__name__, "message": str(e)}
                try:
                    msgs, _ = eu.create_msgs(CharTokenizer(), copy.deepcopy(eg), task, "gpt4", data_dir)
                    row["gpt4_messages"] = msgs
                except Exception as e:
                    row["gpt4_messages"] = {"error": type(e).__name__}
                try:
                    row["answer"] = eu.get_answer(copy.deepcopy(eg), task)
                except Exception as e:
                    row["answer"] = {"error": type(e).__name__}
                rows.append(row)
        prompts[task] = rows
    with open(os.path.join(FIXTURES, "prompts.json"), "w", encoding="utf-8") as f:
        json.dump(prompts, f, ensure_ascii=False, indent=1)
        f.write("\n")

    n = sum(len(t["cases"]) for t in fixture["tasks"].values())
    print(f"{n} cases -> {a.out}; printed means of {list(printed)} -> official-printed.json")


if __name__ == "__main__":
    main()
