#!/usr/bin/env python3
"""Parity fixture for @loomscope/benchmark-bamboo: official evaluate.py's printed line per file.

    /usr/bin/python3 scripts/make-parity-fixture.py <BAMBOO checkout> [--seed N]

Writes test/fixtures/preds/<task>_4k.jsonl (adversarial predictions) and test/fixtures/parity.json.
"""
import argparse, contextlib, io, json, os, random, sys, types
ap = argparse.ArgumentParser(); ap.add_argument("bamboo"); ap.add_argument("--seed", type=int, default=1); args = ap.parse_args()
for m in ["ipdb", "autopep8", "docformatter", "tqdm"]:
    sys.modules[m] = types.ModuleType(m)
sys.modules["tqdm"].tqdm = lambda x, **k: x
sys.path.insert(0, args.bamboo)
import evaluate as ev  # noqa: E402
rng = random.Random(args.seed)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
os.makedirs(os.path.join(out, "preds"), exist_ok=True)
QA = ["A", "B", "C", "D", "a", "b.", " C) because", "[D]", "Answer: A", "E", "\nB\nC", "d", "  c", "F", "1", "(A)", "Ä"]
files = {}
def perm(n):
    p = list(range(n)); rng.shuffle(p); return p
for task in ["meetingqa", "paperqa", "altqa", "meetingpred", "showspred", "senhallu", "abshallu", "reportsumsort", "showssort"]:
    rows = []
    for _ in range(rng.randint(25, 40)):
        if task in ("meetingqa", "paperqa"):
            rows.append({"pred": rng.choice(QA), "answer": rng.choice("ABCD")})
        elif task == "altqa":
            a = str(rng.randint(1, 3000)); rows.append({"pred": rng.choice([a, a + ".", " " + a + " ", a + "0", "The answer is " + a, "", "..."]), "answer": a})
        elif task in ("meetingpred", "showspred"):
            a = rng.choice(["Diane", "Mark Thomas", "John"]); rows.append({"pred": rng.choice([a, a.upper(), a + ".", a + "\nmore", "Bob", "", " " + a]), "answer": a})
        elif task in ("senhallu", "abshallu"):
            rows.append({"pred": rng.choice(["Yes.", "No.", "yes", " YES", "Yeah", "no, yes", "", "The answer is yes"]), "answer": rng.random() < 0.5})
        else:
            n = 5; ans = perm(n); r = rng.random()
            pred = ans if r < 0.2 else perm(n) if r < 0.5 else [x + 1 for x in perm(n)] if r < 0.65 else perm(n)[:rng.randint(0, 4)] if r < 0.8 else perm(n) + [rng.randint(0, 9)] if r < 0.9 else [0, 0, 1, 1, 2]
            rows.append({"pred": pred, "answer": ans})
    name = task + "_4k.jsonl"
    path = os.path.join(out, "preds", name)
    with open(path, "w") as f:
        for r in rows: f.write(json.dumps(r) + "\n")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        ev.evaluate(path, task)
    files[name] = buf.getvalue().strip()
json.dump({"files": files}, open(os.path.join(out, "parity.json"), "w"), indent=1)
print(files)
