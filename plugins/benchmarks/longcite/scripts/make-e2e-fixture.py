#!/usr/bin/env python3
"""The end-to-end fixture of @loomscope/benchmark-longcite, made by running LongCite's own scripts.

    /usr/bin/python3 scripts/make-e2e-fixture.py /path/to/LongCite --seed 1 --out test/fixtures/e2e

Builds a small LongBench-Cite.json in the official format (every dataset, Chinese and English, a
few-shot item), runs pred_one_shot.py's `process` on each record with a stand-in cite model that
answers with a scripted reply (recording the exact one-shot prompt it was sent), then eval_cite.py
and eval_correct.py on the prediction file with a stand-in judge whose replies follow a script (a
malformed verdict first for some prompts, an unreadable support verdict for one item so eval_cite.py
drops it), recording every judge call: the full messages, temperature, max_new_tokens, stop, and the
reply. Reuses the stand-ins of make-parity-fixture.py (imported from beside this file).

Writes under --out: LongBench-Cite.json, model.json (per idx: the prompt sent and the reply),
judge.json (every judge call in order), and official/ (the prediction folder and every file
eval_cite.py and eval_correct.py wrote).
"""
import argparse
import contextlib
import importlib.util
import io
import json
import multiprocessing
import os
import random
import runpy
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("longcite_parity", os.path.join(HERE, "make-parity-fixture.py"))
parity = importlib.util.module_from_spec(spec)
spec.loader.exec_module(parity)


def make_rows(rng):
    en = ["The planet orbits a metal-poor star.", "Its radial velocity was measured by FEROS.", "It belongs to the Helmi stream!",
          "Nobody knows why?", "The survey found no Jovian planets.", "Mr. Smith led the work in 2010."]
    zh = ["这颗行星围绕恒星运行。", "径向速度被测量了；", "它属于赫尔米星流！", "为什么？", "研究仍在继续。"]
    rows = []
    plan = [("longbench-chat", False), ("multifieldqa_en", False), ("multifieldqa_zh", True), ("hotpotqa", False),
            ("dureader", True), ("gov_report", False), ("multifieldqa_en", False), ("hotpotqa", False)]
    for k, (ds, is_zh) in enumerate(plan):
        pool = zh if is_zh else en
        context = "".join(rng.choice(pool) + rng.choice(["", " ", "\n\n"]) for _ in range(rng.randint(3, 6)))
        few = [{"answer": rng.choice(pool) + ("\n" + rng.choice(pool) if i == 1 else ""), "score": [3, 7, 10][i]} for i in range(3)] if ds == "longbench-chat" else []
        rows.append({"idx": [5, 2, 9, 0, 7, 3, 11, 1][k], "dataset": ds, "query": rng.choice(pool).rstrip("。.!?！？；") + f" (#{k})" + ("?" if not is_zh else "？"),
                     "answer": rng.sample(pool, 2 if k % 3 == 0 else 1), "few_shot_scores": few, "context": context})
    return rows


def reply_for(rng, row, k):
    """The cite model's answer: statements citing sentence spans; one without citations; one statement> prefix."""
    parts = []
    for s in range(rng.randint(1, 3)):
        a = rng.randint(0, 2)
        spans = "".join(f"[{x}-{x + rng.randint(0, 1)}]" for x in ([a] if s else [a, a + 2]))
        parts.append(f"<statement>Claim {k}.{s} about the star.<cite>{spans if (k + s) % 4 != 1 else ''}</cite></statement>")
    text = "".join(parts) + (" Overall, that is the answer." if k % 2 else "")
    return text[1:] if k == 3 else text


class ScriptedJudge:
    """Replies by prompt kind; item with idx 7's support prompts never parse (eval_cite.py drops it)."""

    def __init__(self):
        self.calls = []
        self.seen = {}

    def query_llm(self, messages, model, temperature=1.0, max_new_tokens=1024, stop=None, return_usage=False):
        prompt = messages[-1]["content"]
        n = self.seen.get(prompt, 0)
        self.seen[prompt] = n + 1
        if prompt.startswith("[Instruction]"):
            reply = "no rating yet" if n == 0 else "Rating: [[8]]"
        elif "[Reference summary]" in prompt:
            reply = "[[4]]"
        elif "[Reference answer]" in prompt:
            reply = "[[2]]" if "Claim 1." in prompt else "[[3]]"
        elif "Need Citation" in prompt:
            reply = "garbled" if n == 0 else "Need Citation: [[No]]"
        elif "[[Fully supported]]" in prompt:
            reply = "[[4]]" if "研究仍在继续" in prompt or "Claim 4." in prompt else ("Rating: [[Partially supported]]" if n else "noise")
        else:
            reply = "Rating: [[Unrelevant]]" if "Claim 6." in prompt else "Rating: [[Relevant]]"
        self.calls.append({"messages": messages, "temperature": temperature, "max_new_tokens": max_new_tokens, "stop": stop, "reply": reply})
        return (reply, {"prompt_tokens": 0, "completion_tokens": 0}) if return_usage else reply


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("longcite")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "test", "fixtures", "e2e"))
    args = ap.parse_args()
    lc = os.path.abspath(args.longcite)
    out = os.path.abspath(args.out)
    rng = random.Random(args.seed)
    judge = ScriptedJudge()
    parity.install(lc, judge)
    random.shuffle = lambda x: None
    multiprocessing.Pool = parity.InOrderPool
    rows = make_rows(rng)
    replies = {row["idx"]: reply_for(rng, row, k) for k, row in enumerate(rows)}

    # utils/retrieve.py imports model code the splitter does not use: stand-ins, as make-parity-fixture.py does.
    import types
    tr = types.ModuleType("transformers")
    tr.AutoTokenizer = types.SimpleNamespace(from_pretrained=lambda *a, **k: None)
    sys.modules["transformers"] = tr
    sys.modules.setdefault("torch", types.ModuleType("torch"))
    ze = types.ModuleType("utils.zhipu_embedding")
    ze.ZhipuEmbeddings = None
    sys.modules["utils.zhipu_embedding"] = ze
    rspec = importlib.util.spec_from_file_location("utils.retrieve", os.path.join(lc, "utils", "retrieve.py"))
    retrieve = importlib.util.module_from_spec(rspec)
    sys.modules["utils.retrieve"] = retrieve
    rspec.loader.exec_module(retrieve)

    # pred_one_shot.py, function by function (as a script it predicts one item per run: `need_list[:1]`).
    work = tempfile.mkdtemp(prefix="longcite-e2e-")
    shutil.copy(os.path.join(lc, "LongBench-Cite", "one_shot_prompt.txt"), work)
    with open(os.path.join(work, "LongBench-Cite.json"), "w", encoding="utf-8") as f:
        json.dump(rows[:1], f, ensure_ascii=False)
    sent = {}
    llm = sys.modules["utils.llm_api"]

    def cite_model(messages, model, temperature=1.0, max_new_tokens=1024, stop=None, return_usage=False):
        prompt = messages[-1]["content"]
        idx = next(r["idx"] for r in rows if r["query"] in prompt)
        sent[idx] = {"messages": messages, "temperature": temperature, "max_new_tokens": max_new_tokens, "reply": replies[idx]}
        return replies[idx]
    llm.query_llm = cite_model
    old = os.getcwd()
    os.chdir(work)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            g = runpy.run_path(os.path.join(lc, "LongBench-Cite", "pred_one_shot.py"), run_name="__main__")
            preds = [g["process"](row) for row in rows]
    finally:
        os.chdir(old)
    assert all(p is not None for p in preds)
    preds = sorted(preds, key=lambda x: x["idx"])
    llm.query_llm = judge.query_llm

    run = tempfile.mkdtemp(prefix="longcite-e2e-eval-")
    os.makedirs(os.path.join(run, "preds"))
    name = "LongCite-glm4-9b.json"
    with open(os.path.join(run, "preds", name), "w", encoding="utf-8") as f:
        json.dump(preds, f, ensure_ascii=False, indent=2)
    for script in ("eval_cite.py", "eval_correct.py"):
        err, _ = parity.run(os.path.join(lc, "LongBench-Cite", script), run)
        assert err is None, (script, err)

    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "LongBench-Cite.json"), "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "model.json"), "w", encoding="utf-8") as f:
        json.dump({str(k): v for k, v in sorted(sent.items())}, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "judge.json"), "w", encoding="utf-8") as f:
        json.dump(judge.calls, f, ensure_ascii=False, indent=0)
    # The whole official folder (preds/ and the four files the scripts wrote), for `loom score --predictions`.
    shutil.rmtree(os.path.join(out, "official"), ignore_errors=True)
    shutil.copytree(run, os.path.join(out, "official"))
    shutil.rmtree(work)
    shutil.rmtree(run)
    print(f"wrote {out}: {len(rows)} records, {len(judge.calls)} judge calls")


if __name__ == "__main__":
    main()
