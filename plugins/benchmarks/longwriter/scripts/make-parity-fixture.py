#!/usr/bin/env python3
"""Parity fixtures for @loomscope/benchmark-longwriter, made by running LongWriter's own scripts.

    /usr/bin/python3 scripts/make-parity-fixture.py /path/to/LongWriter --seed 1 --out test/fixtures

/path/to/LongWriter: a checkout of github.com/THUDM/LongWriter (evaluation/pred.py, eval_length.py,
eval_quality.py, judge.txt). Nothing of it is copied: the scripts are run from that path.

- count_words: imported from evaluation/pred.py (torch / transformers get empty stand-ins; the
  function uses neither).
- S_l: evaluation/eval_length.py run as a script (runpy) in a scratch folder holding
  models/LongWriter-glm4-9b/pred.jsonl; its `scores` list and printed mean are read back. Crash
  cases are run one per script run and the exception is recorded.
- S_q: evaluation/eval_quality.py run as a script with a stand-in `requests` module that answers
  each prompt with the scripted verdicts of that item, in order, and records every request. Its
  `random.shuffle` is made the identity and `multiprocessing.Pool` runs tasks in order in-process,
  so judge.jsonl comes out in input order (the official order is random).

Writes under --out: parity-length.json, parity-quality.json, official/pred.jsonl with
official/judge.jsonl and official/printed.json (what the scripts wrote and printed for it).
--seed changes the generated texts and lengths, for a check on predictions not seen before.
"""
import argparse
import contextlib
import io
import json
import multiprocessing
import multiprocessing.pool
import os
import random
import runpy
import shutil
import sys
import tempfile
import types

MODEL = "LongWriter-glm4-9b"


def stub_modules():
    torch = types.ModuleType("torch")
    torch.distributed = types.ModuleType("torch.distributed")
    torch.multiprocessing = types.ModuleType("torch.multiprocessing")
    transformers = types.ModuleType("transformers")
    transformers.AutoTokenizer = transformers.AutoModelForCausalLM = None
    sys.modules.update({"requests": types.ModuleType("requests"), "torch": torch, "torch.distributed": torch.distributed,
                        "torch.multiprocessing": torch.multiprocessing, "transformers": transformers})


class ScriptedRequests(types.ModuleType):
    """Stand-in for `requests`: POST answers with the next scripted verdict for that prompt."""

    def __init__(self, script):
        super().__init__("requests")
        self.script = script  # prompt -> list of replies
        self.calls = []

    def post(self, url, json=None, headers=None, timeout=None):
        prompt = json["messages"][0]["content"]
        self.calls.append(json)
        replies = self.script[prompt]
        reply = replies.pop(0) if replies else ""
        body = {"choices": [{"message": {"content": reply}}]}

        class Resp:
            status_code = 200

            def json(self_inner):
                return body
        return Resp()


class InOrderPool:
    def __init__(self, processes=None):
        pass

    def apply_async(self, f, args=()):
        f(*args)

    def close(self):
        pass

    def join(self):
        pass


def run_script(path, cwd, extra_modules=None):
    """Run an official script as __main__ in cwd; return (globals or None, stdout, error type or None)."""
    old = os.getcwd()
    saved = {k: sys.modules.get(k) for k in (extra_modules or {})}
    sys.modules.update(extra_modules or {})
    out = io.StringIO()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out):
            g = runpy.run_path(path, run_name="__main__")
        return g, out.getvalue(), None
    except Exception as e:  # the script stopped
        return None, out.getvalue(), type(e).__name__
    finally:
        os.chdir(old)
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v


def scratch(items):
    d = tempfile.mkdtemp(prefix="longwriter-parity-")
    os.makedirs(os.path.join(d, "models", MODEL))
    with open(os.path.join(d, "models", MODEL, "pred.jsonl"), "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    return d


# ---------------------------------------------------------------------------------------------
# Length cases

EN = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "Writing", "essay", "I", "a"]
ZH = list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经")
ODD = ["hello世界", "café", "cafe\u0301", "naïve", "abc123", "snake_case", "_x_", "don't", "e-mail", "U.S.A.",
       "2024", "ＡＢＣ", "привет", "😀", "〇", "\u3400\u3401", "\uf900", "，。！", "x\u00b2", "Ⅻ", "word\u200bword",
       "tab\tsep", "a\u00a0b", "\u2028line", "ǅemo", "ＡＢＣabc", "İstanbul", "ﬁne", "snake__", "v1.2.3"]


def make_text(rng, n_en, n_zh, odd):
    parts = [rng.choice(EN) for _ in range(n_en)] + ["".join(rng.choice(ZH) for _ in range(rng.randint(1, 6))) for _ in range(n_zh)]
    parts += [rng.choice(ODD) for _ in range(odd)]
    rng.shuffle(parts)
    seps = [" ", " ", " ", "\n", ", ", ". ", "，", "。", "\n\n", "—"]
    return "".join(p + rng.choice(seps) for p in parts).strip()


def length_cases(rng):
    cases = []
    required = [100, 150, 200, 300, 400, 500, 600, 800, 1000, 1200, 2000, 3000, 5000, 10000, 20000, 30000]
    # Exact boundaries: y == x, y == x + 1, y == 4x (S_l 0), y == 2x, y == x / 3 (S_l 0), y == x / 2, y == 1.
    for x in required[:10]:
        for y in (x, x + 1, x - 1, 4 * x, 4 * x - 1, 2 * x, max(1, x // 3), max(1, x // 2), 1, 3 * x):
            cases.append({"length": x, "response": {"repeat": "word ", "times": y - 1, "suffix": "word"}, "note": f"{y} plain words for {x}"})
    for x in (200, 1000, 5000):
        cases.append({"length": x, "response": {"repeat": "字", "times": x}, "note": "exactly x Chinese characters"})
        cases.append({"length": x, "response": {"repeat": "字", "times": 4 * x}, "note": "4x Chinese characters"})
    for i in range(60):
        x = rng.choice(required)
        cases.append({"length": x, "response": make_text(rng, rng.randint(0, 300), rng.randint(0, 120), rng.randint(0, 25)),
                      "note": "mixed"})
    for odd in ODD:
        cases.append({"length": rng.choice(required[:6]), "response": f"Essay: {odd} {odd}x {odd}_ ({odd})", "note": f"odd token {odd!r}"})
    cases.append({"length": 2000, "response": {"repeat": "the quick brown fox jumps, ", "times": 4000, "suffix": "END"}, "note": "20001 words"})
    # Crash cases: no countable words.
    for resp in ("", "   ", "2024 12345", "😀😀", "_", "привет мир", "ＡＢＣ"):
        cases.append({"length": 500, "response": resp, "note": "no countable words: ZeroDivisionError"})
    return cases


def expand(v):
    """Fixture texts are strings or {"repeat", "times", "prefix"?, "suffix"?} (small on disk)."""
    if isinstance(v, dict):
        return v.get("prefix", "") + v["repeat"] * v["times"] + v.get("suffix", "")
    return v


def run_length(lw, cases, count_words):
    eval_length = os.path.join(lw, "evaluation", "eval_length.py")
    ok = [c for c in cases if count_words(expand(c["response"])) > 0]
    bad = [c for c in cases if count_words(expand(c["response"])) == 0]
    items = [{"prompt": "p", "type": "t", "length": c["length"], "response_length": count_words(expand(c["response"])),
              "response": expand(c["response"])} for c in ok]
    d = scratch(items)
    g, printed, err = run_script(eval_length, d)
    assert err is None, err
    out = []
    for c, s in zip(ok, g["scores"]):
        out.append({**c, "expected": {"count": count_words(expand(c["response"])), "score": s}})
    for c in bad:
        d2 = scratch([{"prompt": "p", "type": "t", "length": c["length"], "response_length": 0, "response": expand(c["response"])}])
        _, _, err2 = run_script(eval_length, d2)
        out.append({**c, "expected": {"count": 0, "error": err2}})
        shutil.rmtree(d2)
    shutil.rmtree(d)
    return out


# ---------------------------------------------------------------------------------------------
# Quality cases: scripted judge replies per item.

DIMS = ["Relevance", "Accuracy", "Coherence", "Clarity", "Breadth and Depth", "Reading Experience"]


def verdict(vals, analysis="ok", fence=False, extra=None, order=None, indent=False):
    d = {"Analysis": analysis}
    keys = order or DIMS
    for k, v in zip(keys, vals):
        d[k] = v
    if extra:
        d.update(extra)
    text = json.dumps(d, ensure_ascii=False, indent=2 if indent else None)
    return f"Here is my evaluation:\n```json\n{text}\n```\nDone." if fence else text


def quality_items(rng):
    """(label, replies) for items whose run must not crash; each replies list is consumed in order."""
    r = lambda: [rng.randint(1, 5) for _ in DIMS]
    items = [
        ("clean ints", [verdict(r())]),
        ("clean ints 2", [verdict(r())]),
        ("fenced", [verdict(r(), fence=True)]),
        ("fenced, indented (newlines removed)", [verdict(r(), fence=True, indent=True)]),
        ("indented, no fence", [verdict(r(), indent=True)]),
        ("string values", [verdict([str(v) for v in r()])]),
        ("float values", [verdict([v + 0.5 for v in r()[:5]] + [4.0])]),
        ("raw newline inside a string (removed before json.loads)", ['{"Analysis": "line1\nline2", ' + json.dumps(dict(zip(DIMS, r())))[1:]]),
        ("extra keys", [verdict(r(), extra={"Overall": 9, "Length": "long"})]),
        ("duplicate key, last wins", [verdict(r())[:-1] + ', "Relevance": 1}']),
        ("keys out of order", [verdict(r(), order=list(reversed(DIMS)))]),
        ("unicode digit string", [verdict(["\u0664", "4", "3", " 5 ", "2", "1_0"])]),
        ("bool value", [verdict([True, 4, 3, 5, 2, False])]),
        ("not JSON, then clean", ["I rate it 4/5 overall.", verdict(r())]),
        ("empty reply, then clean", ["", verdict(r())]),
        ("fence without newline (no match), then clean", ["```json{\"Relevance\": 5}```", verdict(r())]),
        ("missing Accuracy (2 tries), then clean", [verdict(r()[:1] + r()[2:], order=DIMS[:1] + DIMS[2:]), verdict(r())]),
        ("missing Reading Experience (1 try) x4, then clean", [verdict(r()[:5], order=DIMS[:5])] * 4 + [verdict(r())]),
        ("missing Relevance twice (4 tries), then clean", [verdict(r()[1:], order=DIMS[1:])] * 2 + [verdict(r())]),
        ("json null, then clean", ["null", verdict(r())]),
        ("five unparsable replies: dropped", ["no"] * 5),
        ("missing dims until tries run out: dropped", [verdict(r()[1:], order=DIMS[1:])] * 3),
        ("lowercase keys: dropped", [json.dumps({k.lower(): 3 for k in DIMS})] * 5),
        ("Max tries text then clean", ["Max tries. Failed.", verdict(r())]),
        ("two fences, first used", ["```json\n" + verdict([1] * 6) + "\n```\n```json\n" + verdict([5] * 6) + "\n```"]),
        ("fence with CRLF inside", ["```json\r\n" + verdict(r()) + "\r\n```", verdict(r())]),
        ("NaN-free big int", [verdict([12345678901234567890 % 5 + 1, 4, 4, 4, 4, 4])]),
        ("exponent floats", [verdict([1e0, 2.5e0, 3, 4, 5, 1])]),
        ("single-quoted (not JSON) then clean", ["{'Relevance': 5}", verdict(r())]),
        ("trailing text after JSON then clean", [verdict(r()) + " Thanks!", verdict(r())]),
    ]
    for i in range(22):
        items.append((f"random clean {i}", [verdict(r(), fence=rng.random() < 0.4, indent=rng.random() < 0.3)]))
    return items


def crash_items():
    """(label, replies) each run alone: eval_quality.py stops in its final aggregation."""
    return [
        ("list naming all dims", [json.dumps(DIMS)]),
        ("string naming all dims", [json.dumps(" ".join(DIMS))]),
        ("number", ["5"]),
        ("bool", ["true"]),
        ("value 4/5", [verdict(["4/5", 4, 4, 4, 4, 4])]),
        ("value null", [verdict([None, 4, 4, 4, 4, 4])]),
        ("value list", [verdict([[4], 4, 4, 4, 4, 4])]),
        ("value object", [verdict([{"score": 4}, 4, 4, 4, 4, 4])]),
        ("all replies unparsable (nothing judged)", ["nope"] * 5),
    ]


def special_runs():
    """(label, replies) each run alone that finishes with an unusual total."""
    return [
        ("NaN value", [verdict([float("nan"), 4, 4, 4, 4, 4])]),
        ("Infinity value", [verdict(["inf", 4, 4, 4, 4, 4])]),
    ]


def run_quality(lw, items, rng):
    """Run eval_quality.py on one pred.jsonl made of `items` ((label, replies)); return what it did."""
    preds, script = [], {}
    template = open(os.path.join(lw, "evaluation", "judge.txt"), encoding="utf-8").read()
    for i, (label, replies) in enumerate(items):
        lang = rng.random() < 0.4
        prompt = (f"写一篇关于主题{i}的文章，{rng.choice([200, 500, 1000])}字" if lang else f"Write a {rng.choice([200, 500, 1000])}-word essay #{i} about $RESPONSE$ tokens and {{braces}}")
        response = make_text(rng, rng.randint(5, 60), rng.randint(0, 20), rng.randint(0, 3)) + (" $INST$" if i % 7 == 3 else "")
        item = {"prompt": prompt, "type": "Test", "length": rng.choice([10, 30, 50, 80, 200]), "response_length": 1, "response": response}
        preds.append(item)
        p = template.replace('$INST$', item['prompt']).replace('$RESPONSE$', item["response"])
        assert p not in script
        script[p] = list(replies)
    d = scratch(preds)
    shutil.copy(os.path.join(lw, "evaluation", "judge.txt"), os.path.join(d, "judge.txt"))
    fake = ScriptedRequests({k: list(v) for k, v in script.items()})
    real_shuffle, real_pool = random.shuffle, multiprocessing.Pool
    random.shuffle = lambda x: None
    multiprocessing.Pool = InOrderPool
    try:
        g, printed, err = run_script(os.path.join(lw, "evaluation", "eval_quality.py"), d, {"requests": fake})
    finally:
        random.shuffle, multiprocessing.Pool = real_shuffle, real_pool
    judge_path = os.path.join(d, "models", MODEL, "judge.jsonl")
    judge_text = open(judge_path, encoding="utf-8").read() if os.path.exists(judge_path) else None
    calls = {}
    for c in fake.calls:
        calls[c["messages"][0]["content"]] = calls.get(c["messages"][0]["content"], 0) + 1
    result = {
        "items": [{"label": label, "pred": pred, "replies": replies,
                   "calls": calls.get(template.replace('$INST$', pred['prompt']).replace('$RESPONSE$', pred["response"]), 0)}
                  for (label, replies), pred in zip(items, preds)],
        "error": err,
        "judge_jsonl": judge_text if err is None else None,
        "printed": printed,
        "request_example": fake.calls[0] if fake.calls else None,
    }
    shutil.rmtree(d)
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("longwriter", help="checkout of THUDM/LongWriter")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures"))
    args = ap.parse_args()
    lw = os.path.abspath(args.longwriter)
    os.environ["MPLBACKEND"] = "Agg"
    stub_modules()
    sys.path.insert(0, os.path.join(lw, "evaluation"))
    from pred import count_words  # the official function
    rng = random.Random(args.seed)

    length = run_length(lw, length_cases(rng), count_words)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "parity-length.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "cases": length}, f, ensure_ascii=False, indent=1)

    main_run = run_quality(lw, quality_items(rng), rng)
    crash_runs = [run_quality(lw, [it], rng) for it in crash_items()]
    special = [run_quality(lw, [it], rng) for it in special_runs()]
    with open(os.path.join(args.out, "parity-quality.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "main": main_run, "crashes": crash_runs, "special": special}, f, ensure_ascii=False, indent=1)

    # An official prediction folder and what the two scripts make of it (the main quality run's items,
    # with response_length as pred.py writes it).
    official = os.path.join(args.out, "official")
    os.makedirs(official, exist_ok=True)
    preds = []
    for it in main_run["items"]:
        p = dict(it["pred"])
        p["response_length"] = count_words(p["response"])
        preds.append(p)
    with open(os.path.join(official, "pred.jsonl"), "w", encoding="utf-8") as f:
        for p in preds:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    d = scratch(preds)
    _, printed_len, err = run_script(os.path.join(lw, "evaluation", "eval_length.py"), d)
    assert err is None, err
    shutil.rmtree(d)
    replies = [list(it["replies"]) for it in main_run["items"]]
    # Re-run eval_quality.py on exactly this pred.jsonl with the same scripted replies.
    template = open(os.path.join(lw, "evaluation", "judge.txt"), encoding="utf-8").read()
    d = scratch(preds)
    shutil.copy(os.path.join(lw, "evaluation", "judge.txt"), os.path.join(d, "judge.txt"))
    fake = ScriptedRequests({template.replace('$INST$', p['prompt']).replace('$RESPONSE$', p["response"]): list(r)
                             for p, r in zip(preds, replies)})
    real_shuffle, real_pool = random.shuffle, multiprocessing.Pool
    random.shuffle = lambda x: None
    multiprocessing.Pool = InOrderPool
    try:
        _, printed_q, err = run_script(os.path.join(lw, "evaluation", "eval_quality.py"), d, {"requests": fake})
    finally:
        random.shuffle, multiprocessing.Pool = real_shuffle, real_pool
    assert err is None, err
    shutil.copy(os.path.join(d, "models", MODEL, "judge.jsonl"), os.path.join(official, "judge.jsonl"))
    shutil.rmtree(d)
    with open(os.path.join(official, "printed.json"), "w", encoding="utf-8") as f:
        json.dump({"eval_length.py": printed_len.strip(), "eval_quality.py": printed_q.strip().splitlines()[-1]}, f, ensure_ascii=False, indent=1)
    with open(os.path.join(official, "replies.json"), "w", encoding="utf-8") as f:
        json.dump(replies, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
