#!/usr/bin/env python3
"""`--protocol loom` prompt fixture: LOOM-Scope's own L_CiteEval.py `process_data` and `get_params`.

    /usr/bin/python3 scripts/make-loom-prompt-fixture.py /path/to/L_CiteEval.py /path/to/L-CITEEVAL \\
        --seed 1 --out test/fixtures

L_CiteEval.py is LOOM-Scope's benchmarks/Faithfulness/L_CiteEval/L_CiteEval.py (the version whose
process_data takes `enable_thinking`). Its imports get stand-ins (loguru, base_class.Base). It reads
its demonstrations from `./benchmarks/Faithfulness/L_CiteEval/utils/prompt/<task>_default.jsonl`,
which are not in the stored package files: this script writes the official checkout's
prompt/<task>_default.json there (the files LOOM-Scope copied). The tokenizer is a stand-in:
one id per code point, BOS (-1) prepended by `encode`, "<s>" when decoded without skipping special
tokens, so the middle cut and its kept special token are visible. Writes --out/parity-loom-prompts.json.
"""
import argparse
import importlib.util
import json
import os
import random
import sys
import tempfile
import types

TASKS = ["narrativeqa", "natural_questions", "hotpotqa", "2wikimultihopqa", "multi_news", "gov_report", "qmsum",
         "locomo", "dialsim", "niah", "counting_stars"]


class StandInTokenizer:
    BOS = -1

    def encode(self, text):
        return [self.BOS] + [ord(c) for c in text]

    def decode(self, ids, skip_special_tokens=False):
        return "".join(("" if skip_special_tokens else "<s>") if i == self.BOS else chr(i) for i in ids)


def load_loom(path):
    loguru = types.ModuleType("loguru")

    class _Logger:
        def remove(self, *a, **k):
            pass

        def add(self, *a, **k):
            pass

        def info(self, *a, **k):
            pass
    loguru.logger = _Logger()
    sys.modules["loguru"] = loguru
    base = types.ModuleType("base_class")

    class Base:
        def __init__(self):
            pass
    base.Base = Base
    sys.modules["base_class"] = base
    spec = importlib.util.spec_from_file_location("loom_l_citeeval", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.L_CiteEval(limit=None)


def words(rng, n):
    pool = ["alpha", "beta", "gamma", "delta", "knight", "tower", "sea", "{ID}", "{P}", "naïve", "城堡", "😀", "x\n", "  "]
    return " ".join(rng.choice(pool) for _ in range(n))


def record(rng, task):
    docs = []
    for k in range(rng.randint(1, 4)):
        kind = rng.random()
        if task == "counting_stars" or kind < 0.5:
            docs.append(words(rng, rng.randint(0, 12)))
        elif kind < 0.75:
            title = words(rng, 2)
            docs.append({"title": title, "text": ("\n" if rng.random() < 0.5 else "") + title + "\n" + words(rng, 6) + "\n"})
        else:
            docs.append({"text": "\n" + words(rng, 5) + "\n"})
    q = rng.random()
    question = None if q < 0.15 else "" if q < 0.25 else words(rng, 5) + "?"
    return {"docs": docs, "question": question}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("loom_file")
    ap.add_argument("official_checkout")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures"))
    args = ap.parse_args()
    out = os.path.join(os.path.abspath(args.out), "parity-loom-prompts.json")
    official = os.path.abspath(args.official_checkout)
    bench = load_loom(os.path.abspath(args.loom_file))
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp()
    prompt_dir = os.path.join(work, "benchmarks", "Faithfulness", "L_CiteEval", "utils", "prompt")
    os.makedirs(prompt_dir)
    for task in TASKS:
        name = "2WikiMultihopQA_default.json" if task == "2wikimultihopqa" else f"{task}_default.json"
        with open(os.path.join(official, "prompt", name), encoding="utf-8") as src, open(os.path.join(prompt_dir, f"{task}_default.jsonl"), "w", encoding="utf-8") as dst:
            dst.write(src.read())
    os.chdir(work)
    tok = StandInTokenizer()
    cases = []
    demos = {}
    for task in TASKS:
        for exp in ["L-CiteEval-Data", "L-CiteEval-Length"]:
            for _ in range(4):
                rec = record(rng, task)
                max_length = rng.choice([2, 7, 40, 101, 10 ** 9])
                messages = bench.process_data(raw_input=rec, tokenizer=tok, max_length=max_length, task_name=f"{exp}_{task}", server="vllm", enable_thinking=False)
                # The first three messages depend on the task only: kept once per task.
                head = [[m["role"], m["content"]] for m in messages[:3]]
                assert demos.setdefault(task, head) == head
                assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
                cases.append({"task": task, "task_name": f"{exp}_{task}", "max_length": max_length, "record": rec, "user": messages[3]["content"]})
    params = []
    for task in TASKS:
        for name in [task, f"L-CiteEval-Data_{task}", f"L-CiteEval-Length_{task}", "narrtiveqa"]:
            p = dict(bench.get_params(task_name=name))
            params.append({"task_name": name, "max_tokens": p["max_tokens"], "temperature": p["temperature"], "top_p": p["top_p"], "stop": p.get("stop")})
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "demos": demos, "cases": cases, "params": params}, f, ensure_ascii=False)
    print(f"wrote {out}: {len(cases)} prompts, {len(params)} get_params calls")


if __name__ == "__main__":
    main()
