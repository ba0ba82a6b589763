#!/usr/bin/env python3
"""Generate LongHealth fixtures by running LongHealth's utils.py with Python's own random module.

    /usr/bin/python3 scripts/make-parity-fixture.py /path/to/LongHealth --seed 1 --out test/fixtures

/path/to/LongHealth: a directory holding LongHealth's utils.py (kbressem/LongHealth; its
`create_prompt`, `sample_distractions`, `SYSTEM_PROMPT` are imported as they are; modules it
imports for querying models and that are missing here get empty stand-ins).

The driver seeds Python's global `random` (which create_prompt and sample_distractions use), then
builds the three tasks from test/fixtures/data/benchmark_v5.json in LOOM-Scope's order and in the
task scripts' order, with a character tokenizer that adds a BOS token the way Hugging Face
tokenizers do (encode: [BOS] + code points; decode: "<s>" for BOS) and a small budget, so that the
cut-document and empty-distractor paths are taken. It also writes predictions scored with Python's
`correct in answer` and the third-party `re.findall(r"The correct answer is (\\w):", pred)` parse.

Writes under --out: placement.json (every prompt's SHA-256, the first 12 in full), scoring.json.
"""
import argparse
import copy
import hashlib
import importlib
import json
import os
import random
import re
import sys
import tempfile

BOS = 0x110000


class CharTokenizer:
    def encode(self, text):
        return [BOS] + [ord(c) for c in text]

    def decode(self, ids):
        return "".join("<s>" if i == BOS else chr(i) for i in ids)


def stubs():
    d = tempfile.mkdtemp(prefix="longhealth-stubs-")
    for mod in ["openai", "tiktoken", "requests", "fire", "transformers", "nltk", "tqdm"]:
        try:
            importlib.import_module(mod)
        except ImportError:
            with open(os.path.join(d, mod + ".py"), "w") as f:
                f.write("# stand-in: imported by LongHealth's utils.py for querying models, unused here\n"
                        "def __getattr__(name):\n    return None\n")
    return d


def build(utils, data, max_len, order):
    tok = CharTokenizer()
    budget = max_len - len(tok.encode(utils.SYSTEM_PROMPT))
    out = []

    def task1(pid, patient, i, question):
        answer_docs = {tid: patient["texts"][tid] for tid in question["answer_location"]}
        non_answer_docs = [t for tid, t in patient["texts"].items() if tid not in question["answer_location"]]
        for j in range(5):
            prompt, loc = utils.create_prompt(answer_docs, non_answer_docs, question, max_len=budget, tokenizer=tok)
            out.append({"task": "task1", "patient": pid, "question": i, "round": j, "prompt": prompt, "correct": question["correct"],
                        "answer_location": loc})

    def tasks23(pid, patient, i, question):
        question_new = copy.deepcopy(question)
        question_new["answer_f"] = "Question cannot be answered with provided documents"
        for j in range(10):
            non_answer_docs = utils.sample_distractions(pid, data, n=10)
            if j % 2 == 0:
                correct, answer_docs = "Question cannot be answered with provided documents", {}
            else:
                correct = question["correct"]
                answer_docs = {tid: patient["texts"][tid] for tid in question["answer_location"]}
            prompt, loc = utils.create_prompt(answer_docs, non_answer_docs, question_new, option_labels="abcdef", max_len=budget, tokenizer=tok)
            out.append({"task": "task3" if j % 2 == 0 else "task2", "patient": pid, "question": i, "round": j, "prompt": prompt,
                        "correct": correct, "answer_location": loc})

    if order == "loom":
        for pid, patient in data.items():
            for i, q in enumerate(patient["questions"]):
                tasks23(pid, patient, i, q)
                task1(pid, patient, i, q)
    else:
        for pid, patient in data.items():
            for i, q in enumerate(patient["questions"]):
                task1(pid, patient, i, q)
        for pid, patient in data.items():
            for i, q in enumerate(patient["questions"]):
                tasks23(pid, patient, i, q)
    return out


def predictions(rng):
    opts = {"a": "Vincristine", "b": "Rituximab", "c": "Acute bronchitis", "d": "CHD", "e": "3-vessel CHD", "f": "Question cannot be answered with provided documents"}
    fixed = [
        ("The correct answer is A: Vincristine.", "a"), ("The correct answer is A", "a"), ("The correct answer is a: vincristine", "a"),
        ("The correct answer is E: 3-vessel CHD.", "d"), ("The correct answer is D: CHD", "e"), ("A, B, C, D and E: Vincristine, Rituximab, Acute bronchitis, CHD, 3-vessel CHD", "b"),
        ("", "a"), ("I don't know.", "f"), ("The correct answer is F: Question cannot be answered with provided documents.", "f"),
        ("The correct answer is F", "f"), ("question cannot be answered with provided documents", "f"), ("The correct answer is  A: Vincristine", "a"),
        ("The correct answer is A:Vincristine", "a"), ("The correct answer is AB: Vincristine", "a"), ("The correct answer is Ä: x", "a"),
        ("The correct answer is 3: Acute bronchitis", "c"), ("The correct answer is _: none", "b"), ("the correct answer is B: Rituximab", "b"),
        ("The correct answer is B: Rituximab. The correct answer is C: Acute bronchitis.", "c"), ("The correct answer is\nB: Rituximab", "b"),
        ("**The correct answer is C: Acute bronchitis.**", "c"), ("The correct answer is C: Acute Bronchitis.", "c"),
        ("The correct answer is C: Acute\u00a0bronchitis.", "c"), ("Vincristine" * 300, "a"), ("The correct answer is \u0391: Vincristine", "a"),
        ("The correct answer is B：Rituximab", "b"), ("The correct answer is E: 3-vessel CHD", "e"), ("CHD", "e"), ("3-vessel CHD", "d"),
    ]
    out = []
    for pred, key in fixed:
        out.append({"prediction": pred, "correct": opts[key], "task": "task3" if key == "f" else "task1"})
    letters = "ABCDEF"
    for _ in range(90):
        key = rng.choice("abcdef")
        pick = rng.choice("abcdef") if rng.random() < 0.4 else key
        style = rng.randint(0, 5)
        text = opts[pick]
        if style == 0:
            pred = f"The correct answer is {pick.upper()}: {text}."
        elif style == 1:
            pred = f"The correct answer is {pick.upper()}"
        elif style == 2:
            pred = f"Answer: {text.lower()}"
        elif style == 3:
            pred = f"The correct answer is {rng.choice(letters)}: {text}"
        elif style == 4:
            pred = " ".join(rng.sample(list(opts.values()), rng.randint(0, 3)))
        else:
            pred = f"Based on the letters, the correct answer is {pick.upper()}: {text}"
        out.append({"prediction": pred, "correct": opts[key], "task": "task3" if key == "f" else rng.choice(["task1", "task2"])})
    for c in out:
        c["options"] = opts if c["task"] != "task1" else {k: v for k, v in opts.items() if k != "f"}
        c["contains"] = int(c["correct"] in c["prediction"])
        found = re.findall(r"The correct answer is (\w):", c["prediction"])
        c["letter_parsed"] = found[0] if found else ""
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("longhealth", help="directory holding LongHealth's utils.py")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-len", type=int, default=3600)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "test", "fixtures"))
    args = ap.parse_args()
    sys.path.insert(0, stubs())
    sys.path.insert(0, os.path.abspath(args.longhealth))
    utils = importlib.import_module("utils")
    out = os.path.abspath(args.out)
    with open(os.path.join(out, "data", "benchmark_v5.json"), encoding="utf-8") as f:
        data = json.load(f)
    data = {k: v for k, v in data.items() if k != "patient_bad"}
    placement = {"seed": args.seed, "max_len": args.max_len, "system_prompt": utils.SYSTEM_PROMPT, "template": utils.PROMPT_TEMPLATE}
    for order in ["loom", "official"]:
        random.seed(args.seed)
        built = build(utils, data, args.max_len, order)
        # Keep the fixture small: every prompt's SHA-256, and the full text of the first 12.
        for k, b in enumerate(built):
            b["sha256"] = hashlib.sha256(b["prompt"].encode("utf-8")).hexdigest()
            if k >= 12:
                del b["prompt"]
        placement[order] = built
    with open(os.path.join(out, "placement.json"), "w", encoding="utf-8") as f:
        json.dump(placement, f, ensure_ascii=False, indent=1)
    rng = random.Random(args.seed)
    with open(os.path.join(out, "scoring.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "cases": predictions(rng)}, f, ensure_ascii=False, indent=1)
    print(f"{sum(len(placement[o]) for o in ['loom', 'official'])} prompts; scoring cases written under {out}")


if __name__ == "__main__":
    main()
