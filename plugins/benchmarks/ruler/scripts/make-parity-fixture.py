"""Builds test/fixtures/parity.json by running RULER's own scoring code.

Usage: python3 make-parity-fixture.py <RULER checkout> [seed] > ../test/fixtures/parity.json
(seed 7, the default, made the committed fixture; another seed gives predictions the port has not seen).
Runs string_match_all / string_match_part from scripts/eval/synthetic/constants.py and
postprocess_pred from scripts/eval/evaluate.py (extracted by ast, since evaluate.py imports NeMo).
"""
import ast, json, random, sys, importlib.util, re
root = sys.argv[1]
spec = importlib.util.spec_from_file_location("c", f"{root}/scripts/eval/synthetic/constants.py")
c = importlib.util.module_from_spec(spec); spec.loader.exec_module(c)
src = open(f"{root}/scripts/eval/evaluate.py").read()
fn = next(n for n in ast.parse(src).body if isinstance(n, ast.FunctionDef) and n.name == "postprocess_pred")
ns = {"re": re}; exec(compile(ast.Module([fn], []), "evaluate.py", "exec"), ns)
post = lambda s: ns["postprocess_pred"](s, {})

rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
TASKS = {"niah_single_1": "niah", "niah_multivalue": "niah", "vt": "variable_tracking", "cwe": "common_words_extraction", "fwe": "freq_words_extraction", "qa_1": "qa", "qa_2": "qa"}
WORDS = ["Paris", "alpha", "7481230", "ÉCOLE", "Straße", "uuid-12ab", "New York", "the", "ßig", "İstanbul", "değer"]
def pred_for(refs):
    parts = []
    for r in refs:
        x = rnd.random()
        if x < 0.4: parts.append(r)
        elif x < 0.55: parts.append(r.upper())
        elif x < 0.65: parts.append(r[: max(1, len(r) // 2)])
    filler = rnd.choice(["", " ", "\n", "\t\x01 ", "Answer: ", "\x1c", " The answer is ", "\u3000", "\x00", "…", ","])
    text = filler.join(parts) if parts else rnd.choice(["", "   ", "\x1f\x1e", "I don't know.", "\n\n"])
    if rnd.random() < 0.3: text = rnd.choice([" ", "\n", "\x0b", "\x07"]) + text + rnd.choice(["", " \n", "\x1d", "."])
    return text
out = {"tasks": {}, "samples": []}
for task, base in TASKS.items():
    lines = []
    n = rnd.randint(15, 25)
    for i in range(n):
        k = rnd.randint(1, 5)
        refs = rnd.sample(WORDS, k) if base != "variable_tracking" else ["".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(5)) for _ in range(5)]
        pred = pred_for(refs)
        lines.append({"index": i, "input": "...", "outputs": refs, "pred": pred, "others": {} if rnd.random() < 0.5 else {"id": i + 1000}, "length": 4096})
        p = post(pred)
        metric = c.TASKS[base]["metric_fn"]
        out["samples"].append({"task": task, "pred": pred, "refs": refs, "post": p, "score": metric([p], [refs])})
    preds = [post(l["pred"]) for l in lines]
    refs = [l["outputs"] for l in lines]
    out["tasks"][task] = {"lines": lines, "score": c.TASKS[base]["metric_fn"](preds, refs), "nulls": f"{sum(len(x) == 0 for x in preds)}/{len(preds)}"}
json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
