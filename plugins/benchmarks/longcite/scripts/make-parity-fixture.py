#!/usr/bin/env python3
"""Parity fixtures for @loomscope/benchmark-longcite, made by running LongCite's own scripts.

    /usr/bin/python3 scripts/make-parity-fixture.py /path/to/LongCite --seed 1 --out test/fixtures

/path/to/LongCite: a checkout of github.com/THUDM/LongCite (LongBench-Cite/*.py, utils/). Nothing of
it is copied. `utils.llm_api.query_llm` is replaced by a stand-in that answers each prompt with a
verdict drawn (by --seed) from pools of well-formed and malformed replies, returns zero token usage,
and records every call; `multiprocessing.Pool` runs in order in-process and `random.shuffle` (the
few-shot order) is the identity, so outputs are deterministic. `jsonlines` / `requests` get empty
stand-ins (unused on a fresh run).

Writes under --out:
  official/preds/LongCite-test.json        the prediction file (pred_sft.py format)
  official/scores_cite/...json(.jsonl)     what eval_cite.py wrote
  official/scores_correct/...json(.jsonl)  what eval_correct.py wrote
  official/calls.json                      every judge call in order: [sha256(prompt), temperature, max_new_tokens, stop,
                                           reply, system], and the first full request of each kind
  parity-verdicts.json                     verdict strings and what each official parser returns
  parity-split.json                        text_split_by_punctuation and postprocess on generated texts
"""
import argparse
import hashlib
import contextlib
import io
import json
import multiprocessing
import os
import random
import runpy
import shutil
import sys
import tempfile
import types

SUPPORT = ["Rating: [[Fully supported]] ", "Rating: [[Partially supported]] ", "Rating: [[No support]] ", "[[fully SUPPORTED]]",
           "[[Partially/Fully]]", "Rating: Fully supported", "[[4]]", "", "Rating: [[Fully supported]] [[No support]]"]
NEED = ["Need Citation: [[Yes]] ", "Need Citation: [[No]] ", "[[yes/no]]", "[[Not sure]]", "Need Citation: Yes", "[[Y3s]]"]
RELEVANT = ["Rating: [[Relevant]] ", "Rating: [[Unrelevant]] ", "[[Irrelevant]]", "[[ unrelevant ]]", "Relevant", "[[relevant]]"]
QA = ["[[3]]", "[[2]]", "Rating: [[1]]", "[[rating]]", "no rating", "[[3]] then [[1]]", "[[\uff13]]", "[[0]]", "[[10/10]]",
      "[[Rating: 2 out of 3]]", "[[ 2 ]]"]
SUMM = ["[[5]]", "[[4]]", "[[1]]", "[[3]]", "Rating: [[2]]", "[[x]]", "rating 4"]
FEW = ["[[7]]", "[[10]]", "[[3]]", "[[8.0]]", "Rating: [[9]]", "[[nine]]"]
TRIGGER = "Trigger OpenAI's content management policy."


class Stub:
    def __init__(self, rng, trigger_rate=0.03):
        self.rng = rng
        self.trigger_rate = trigger_rate
        self.calls = []
        self.seen = {}
        self.examples = {}

    def pool_for(self, prompt):
        if prompt.startswith("[Instruction]"):
            return FEW
        if "[Reference summary]" in prompt:
            return SUMM
        if "[Reference answer]" in prompt:
            return QA
        if "Need Citation" in prompt:
            return NEED
        if "[[Fully supported]]" in prompt:
            return SUPPORT
        return RELEVANT

    def query_llm(self, messages, model, temperature=1.0, max_new_tokens=1024, stop=None, return_usage=False):
        prompt = messages[-1]["content"]
        n = self.seen.get(prompt, 0)
        self.seen[prompt] = n + 1
        pool = self.pool_for(prompt)
        # Mostly the first (well-formed) entries; malformed ones now and then; rarely "Trigger".
        r = self.rng.random()
        if r < self.trigger_rate and pool in (SUPPORT, NEED, RELEVANT):
            reply = "Trigger warning: " + TRIGGER
        elif r < 0.7:
            reply = pool[self.rng.randrange(min(3, len(pool)))]
        else:
            reply = self.rng.choice(pool)
        if pool in (QA, SUMM, FEW) and "." in reply:
            reply = "[[2]]"  # "[[2.5]]" would stop eval_correct.py; covered by parity-verdicts.json
        digest = hashlib.sha256(prompt.encode("utf-8")).hexdigest()
        kind = {id(SUPPORT): "support", id(NEED): "need_citation", id(RELEVANT): "relevant", id(QA): "qa", id(SUMM): "summ", id(FEW): "fewshot"}[id(pool)]
        if kind not in self.examples:
            self.examples[kind] = {"messages": messages, "temperature": temperature, "max_new_tokens": max_new_tokens, "stop": stop}
        self.calls.append([digest, temperature, max_new_tokens, stop, reply, messages[0]["content"] if len(messages) > 1 else None])
        return (reply, {"prompt_tokens": 0, "completion_tokens": 0}) if return_usage else reply


class InOrderPool:
    def __init__(self, n=None):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False

    def imap(self, f, xs):
        return (f(x) for x in xs)


def install(lc, stub):
    for m in ("jsonlines", "requests"):
        sys.modules.setdefault(m, types.ModuleType(m))
    llm = types.ModuleType("utils.llm_api")
    llm.query_llm = stub.query_llm
    utils = types.ModuleType("utils")
    utils.llm_api = llm
    utils.__path__ = [os.path.join(lc, "utils")]
    sys.modules["utils"] = utils
    sys.modules["utils.llm_api"] = llm
    sys.path.insert(0, os.path.join(lc, "LongBench-Cite"))


def run(script, cwd):
    old = os.getcwd()
    os.chdir(cwd)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            runpy.run_path(script, run_name="__main__")
        return None, out.getvalue()
    except Exception as e:
        return type(e).__name__, out.getvalue()
    finally:
        os.chdir(old)


WORDS = ["the", "planet", "orbits", "a", "metal-poor", "star", "in", "Helmi", "stream", "radial", "velocity", "was", "measured", "by", "FEROS"]
ZH = list("行星围绕一颗贫金属恒星运行径向速度被测量")


def sentence(rng, zh=False):
    if zh:
        return "".join(rng.choice(ZH) for _ in range(rng.randint(4, 14))) + rng.choice(["。", "！", "？", "；"])
    s = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
    return s[0].upper() + s[1:] + rng.choice([".", ".", "!", "?", "..."])


def make_items(rng, n):
    datasets = ["longbench-chat", "multifieldqa_en", "multifieldqa_zh", "hotpotqa", "dureader", "gov_report", "other_set"]
    items = []
    for i in range(n):
        ds = datasets[i % len(datasets)]
        zh = ds in ("multifieldqa_zh", "dureader")
        statements, pred_parts = [], []
        for k in range(rng.choice([0, 1, 2, 3, 4, 6])):
            text = sentence(rng, zh)
            ncite = rng.choice([0, 0, 1, 1, 2, 3])
            cites = []
            for c in range(ncite):
                st = rng.randint(0, 30)
                ed = st + rng.randint(0, 3)
                cite = " ".join(sentence(rng, zh) for _ in range(ed - st + 1))
                if rng.random() < 0.03:
                    cite = "  \n"  # an empty citation: eval_cite.py drops the item (usage None)
                cites.append({"st_sent": st, "ed_sent": ed, "start_char": st * 40, "end_char": ed * 40 + 39, "cite": cite})
            statements.append({"statement": text, "citation": cites})
            cite_tag = "".join(f"[{c['st_sent']}-{c['ed_sent']}]" for c in cites)
            pred_parts.append(f"<statement>{text}<cite>{cite_tag}</cite></statement>")
        if rng.random() < 0.1 and statements:
            statements = statements * 14  # over max_statement_num=40
        answers = [sentence(rng, zh) for _ in range(rng.choice([1, 1, 2]))]
        few = [{"answer": sentence(rng, zh) + ("\n" + sentence(rng, zh) if rng.random() < 0.3 else ""), "score": rng.choice([2, 5, 7, 9])}
               for _ in range(3)] if ds == "longbench-chat" else []
        items.append({
            "idx": (n - i) * 3 % (n + 5),
            "dataset": ds,
            "query": ("  " if rng.random() < 0.2 else "") + sentence(rng, zh).rstrip(".!?") + "?",
            "answer": answers,
            "few_shot_scores": few,
            "prediction": "".join(pred_parts) + (" Overall, that is all.\n" if rng.random() < 0.3 else ""),
            "statements": statements,
        })
    return items


def verdict_cases(lc):
    import auto_scorer  # official parsers
    import eval_correct
    strings = sorted(set(SUPPORT + NEED + RELEVANT + QA + SUMM + FEW + [
        TRIGGER, "[[Fully supported]]", "[[ Yes ]]", "[[YES]]", "[[no, yes]]", "[[Relevant/Unrelevant]]", "[[2.5]]", "[[3]] [[2.5]]",
        "[[٣]]", "[[]]", "[[ ]]", "[[a]]", "[[Partially supported.]]", "[[Fully\nsupported]]", "[[3\n]]", "[[12]]", "Rating: [[-1]]",
        "[[1e3]]", "[[3]", "[3]]", "[[[3]]]", "[[Rating: [[3]]]]",
    ]))
    out = []
    for s in strings:
        case = {"text": s, "need": auto_scorer.need_citation_to_score(s), "support": auto_scorer.support_level_to_score(s),
                "relevant": auto_scorer.relevant_level_to_score(s)}
        for kind, fn in (("qa", eval_correct.gpt_score_qa), ("summ", eval_correct.gpt_score_summ), ("fewshot", eval_correct.gpt_score_fewshot)):
            replies = [s, "[[1]]", "[[1]]", "[[1]]", "[[1]]", "[[1]]"]
            calls = []

            def q(msg, model, temperature=1.0, max_new_tokens=1024, stop=None, return_usage=False):
                calls.append(1)
                return (replies[len(calls) - 1], {"prompt_tokens": 0, "completion_tokens": 0})
            eval_correct.query_llm = q
            usage = {"prompt_tokens": 0, "completion_tokens": 0, "responses": []}
            try:
                v = fn("pred", "truth", query="q?", few_shot_scores=[{"answer": "a", "score": 1}] * 3, gpt_usage=usage)
                case[kind] = {"score": v, "calls": len(calls), "responses": usage["responses"]}
            except Exception as e:
                case[kind] = {"error": type(e).__name__, "calls": len(calls)}
        out.append(case)
    return out


def split_cases(lc, rng, stub):
    """text_split_by_punctuation (utils/retrieve.py) and pred_one_shot.py's postprocess on generated texts."""
    tr = types.ModuleType("transformers")
    tr.AutoTokenizer = types.SimpleNamespace(from_pretrained=lambda *a, **k: None)
    sys.modules["transformers"] = tr
    sys.modules.setdefault("torch", types.ModuleType("torch"))
    ze = types.ModuleType("utils.zhipu_embedding")
    ze.ZhipuEmbeddings = None
    sys.modules["utils.zhipu_embedding"] = ze
    import importlib.util
    spec = importlib.util.spec_from_file_location("utils.retrieve", os.path.join(lc, "utils", "retrieve.py"))
    retrieve = importlib.util.module_from_spec(spec)
    sys.modules["utils.retrieve"] = retrieve
    spec.loader.exec_module(retrieve)
    split = retrieve.text_split_by_punctuation
    # pred_one_shot.py is a script: run it once in a scratch folder (one input, one scripted reply) and
    # take its functions.
    work = tempfile.mkdtemp(prefix="longcite-oneshot-")
    shutil.copy(os.path.join(lc, "LongBench-Cite", "one_shot_prompt.txt"), work)
    with open(os.path.join(work, "LongBench-Cite.json"), "w") as f:
        json.dump([{"idx": 0, "dataset": "x", "query": "q?", "answer": ["a"], "few_shot_scores": [], "context": "One. Two."}], f)
    old_query = stub.query_llm
    stub_llm = sys.modules["utils.llm_api"]
    stub_llm.query_llm = lambda *a, **k: "<statement>One.<cite>[0-0]</cite></statement>"
    old = os.getcwd()
    os.chdir(work)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            g = runpy.run_path(os.path.join(lc, "LongBench-Cite", "pred_one_shot.py"), run_name="__main__")
    finally:
        os.chdir(old)
        stub_llm.query_llm = old_query
        shutil.rmtree(work)
    postprocess = g["postprocess"]
    prompt_format = open(os.path.join(lc, "LongBench-Cite", "one_shot_prompt.txt")).read()

    en = ["The planet orbits a star.", "Mr. Smith measured it in 1999.", "It is J. Bach's star!", "Why? Nobody knows...",
          "The value was 3.5 km. Then it fell.", "(See Fig. 1.) More data.", "\"Quoted.\" Next.", "e.g. this one. i.e. that one."]
    zh = ["这颗行星围绕恒星运行。", "径向速度被测量；", "结果很好！", "为什么？", "没有人知道。。", "它属于晕族"]
    contexts = ["A single sentence without an end", "Para one has no stop\n\nPara two neither\n\n\nPara three",
                "   leading spaces. And trailing.   ", "😀 emoji first. Then 中文。 Then more.", "只有一句", ""]
    for _ in range(40):
        parts = [rng.choice(en + zh) for _ in range(rng.randint(1, 14))]
        seps = [" ", "", "\n", "\n\n", "  ", "\t"]
        contexts.append("".join(p + rng.choice(seps) for p in parts))
    cases = []
    for ctx in contexts:
        try:
            sents = split(ctx, return_dict=True)
        except Exception as e:
            cases.append({"context": ctx, "error": type(e).__name__})
            continue
        passage = ""
        for i, c in enumerate(sents):
            st, ed = c['start_idx'], c['end_idx']
            ed = sents[i + 1]['start_idx'] if i < len(sents) - 1 else len(ctx)
            passage += f"<C{i}>" + ctx[st:ed]
        answers = []
        n = max(1, len(sents))
        for _ in range(4):
            pieces = []
            for _ in range(rng.randint(0, 5)):
                spans = "".join(f"[{a}-{a + rng.randint(-1, 3)}]" for a in [rng.randint(0, n + 1) for _ in range(rng.randint(0, 5))])
                text = rng.choice(["It orbits.", "这是陈述。", "A longer statement here", "x", "  ", "Émile 😀 says so."])
                pieces.append(rng.choice(["", "Intro text here. ", "ok ", "\n"]) + f"<statement>{text}<cite>{spans}</cite>{rng.choice(['', ' tail'])}</statement>")
            ans = "".join(pieces) + rng.choice(["", " Trailing words outside.", "<statement>unclosed", "</statement>", "<cite>[0-1]</cite>"])
            answers.append(ans)
        answers += ["statement>Fixed prefix.<cite>[0-0]</cite></statement>", "<statement>Two cites<cite>[0-0]</cite> and <cite>[1-1][2-2]</cite></statement>",
                    "<statement>Many<cite>[0-0][2-2][4-4][6-6][8-8]</cite></statement>", "<statement>Merge<cite>[0-1][2-3][4-4]</cite></statement>"]
        outs = []
        for ans in answers:
            fixed = "<" + ans if ans.startswith("statement>") else ans
            try:
                outs.append({"answer": ans, "statements": postprocess(fixed, ctx, sents)})
            except Exception as e:
                outs.append({"answer": ans, "error": type(e).__name__})
        case = {"context": ctx, "sents": sents, "answers": outs}
        if len(cases) < 6:  # the full one-shot prompt for a few contexts (it is 7 kB each)
            case["prompt"] = prompt_format.replace('<<context>>', passage).replace('<<question>>', "Q?")
        cases.append(case)
    return cases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("longcite")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--items", type=int, default=56)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures"))
    args = ap.parse_args()
    lc = os.path.abspath(args.longcite)
    rng = random.Random(args.seed)
    stub = Stub(random.Random(args.seed * 7 + 1))
    install(lc, stub)
    random.shuffle = lambda x: None
    multiprocessing.Pool = InOrderPool

    items = make_items(rng, args.items)
    work = tempfile.mkdtemp(prefix="longcite-parity-")
    os.makedirs(os.path.join(work, "preds"))
    name = "LongCite-glm4-9b.json"  # the name eval_cite.py / eval_correct.py read
    with open(os.path.join(work, "preds", name), "w", encoding="utf-8") as f:
        json.dump(items, f, ensure_ascii=False, indent=2)
    errors = {}
    for script in ("eval_cite.py", "eval_correct.py"):
        err, _ = run(os.path.join(lc, "LongBench-Cite", script), work)
        errors[script] = err
    assert errors == {"eval_cite.py": None, "eval_correct.py": None}, errors

    official = os.path.join(args.out, "official")
    shutil.rmtree(official, ignore_errors=True)
    shutil.copytree(work, official)
    os.chmod(official, 0o755)
    with open(os.path.join(official, "calls.json"), "w", encoding="utf-8") as f:
        json.dump({"calls": stub.calls, "examples": stub.examples}, f, ensure_ascii=False, indent=0)
    shutil.rmtree(work)

    with open(os.path.join(args.out, "parity-split.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "cases": split_cases(lc, random.Random(args.seed + 99), stub)}, f, ensure_ascii=False, indent=0)
    with open(os.path.join(args.out, "parity-verdicts.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "cases": verdict_cases(lc)}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
