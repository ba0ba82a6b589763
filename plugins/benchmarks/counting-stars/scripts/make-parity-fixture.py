"""Builds test/fixtures/parity.json by running Counting-Stars' own scoring code (viz.ipynb).

Usage: cd <dir with viz.ipynb and context_data/{a,r}_stars.txt> &&
       PYTHONPATH=<json_repair at tag 0.25.2>/src python3 make-parity-fixture.py [seed] > parity.json
(json_repair 0.25.2: the release @loomscope/metrics' jsonRepairLoads ports.)
The notebook's functions run unchanged; pandas (not needed for the arithmetic) is replaced by a
minimal stand-in doing pivot_table(mean) -> pivot -> mean(axis=None) -> round(3).
"""
import json, random, sys, types, io
nb = json.load(open("viz.ipynb"))
code = "".join(nb["cells"][1]["source"])

class Frame:
    def __init__(self, data): self.data = list(data)
    def head(self): return ""
    def __len__(self): return len(self.data)
class Pivot:
    def __init__(self, cells): self.cells = cells
    def reset_index(self): return self
    def pivot(self, index, columns, values): return self
    def mean(self, axis=None):
        vals = [self.cells[k] for k in sorted(self.cells)]
        return Num(sum(vals) / len(vals))
class Num(float):
    def round(self, n): return round(float(self) * 10**n) / 10**n  # numpy: rint(x * 1000) / 1000
def pivot_table(df, values, index, aggfunc):
    acc = {}
    for row in df.data:
        k = (row[index[0]], row[index[1]]); s, c = acc.get(k, (0.0, 0)); acc[k] = (s + row[values], c + 1)
    return Pivot({k: s / c for k, (s, c) in acc.items()})
pd = types.SimpleNamespace(DataFrame=Frame, pivot_table=pivot_table)
import json_repair
# jsonlines.Reader(f) yields json.loads of each line (the jsonlines package is not needed for that).
jsonlines = types.SimpleNamespace(Reader=lambda f: (json.loads(l) for l in f if l.strip()))
ns = {"pd": pd, "json": json, "json_repair": json_repair, "jsonlines": jsonlines, "print": lambda *a, **k: None}
exec(code, ns)

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 11  # 11 made the committed fixture; others are unseen
rnd = random.Random(SEED)
A = eval(open("context_data/a_stars.txt").readline())["32"]
R = eval(open("context_data/r_stars.txt").readline())["32"]
def answer(lang):
    key = "little_penguin" if lang == "EN" else "小企鹅"
    k = rnd.random()
    picks = [x for i, x in enumerate(A) if rnd.random() < rnd.random()] + [x for i, x in enumerate(R) if rnd.random() < 0.2]
    rnd.shuffle(picks)
    if rnd.random() < 0.15: picks = picks + picks[: rnd.randint(0, 10)] + [rnd.randint(1, 200) for _ in range(rnd.randint(0, 30))]
    if rnd.random() < 0.1: picks = [float(x) for x in picks]
    if rnd.random() < 0.05: picks = [str(x) for x in picks]
    body = json.dumps({key: picks}, ensure_ascii=False)
    if k < 0.45: return body
    if k < 0.65: return "```json\n" + body + "\n```"
    if k < 0.75: return "```json\n" + body[:-2] + "\n```"  # unclosed array and object
    if k < 0.82: return "```\n" + body.replace("]", ",]") + "\n```"  # trailing comma
    if k < 0.9: return "```json\n" + body + "\n```\nThat is all."
    return json.dumps({key: "".join(str(x) for x in picks[:3])}, ensure_ascii=False)
files = {}
answers = []
for lang in ["EN", "ZH"]:
    for variant in ["searching", "reasoning"]:
        name = f"Counting_Stars_{lang}_multi-evidence-retrieval-{variant}_128000_32_32.jsonl"
        scalar = 0.8 if lang == "EN" else 0.7
        lines = []
        for i in range(rnd.randint(28, 34)):
            size = int(((i % 32) + 1) * 4000 * scalar)
            lines.append({"answer": answer(lang), "context_size": size, "reference_counting_results": A})
        text = "\n".join(json.dumps(l, ensure_ascii=False) for l in lines) + "\n"
        fn = ns["get_data_EN"] if lang == "EN" else ns["get_data_ZH"]
        test_type = "Acquisition" if variant == "searching" else "Reasoning"
        for l in lines:
            try:
                _, m = fn(io.StringIO(json.dumps(l, ensure_ascii=False)), 128000, 32, 32, test_type)
                one = float(m)
            except Exception as e:
                one = None
            answers.append({"language": lang, "variant": variant, "answer": l["answer"], "context_size": l["context_size"], "score": one})
        _, mean = fn(io.StringIO(text), 128000, 32, 32, test_type)
        files[name] = {"lines": lines, "score": float(mean)}
# Harder answers (a stream of their own, so the cases above stay as they were): the breakage
# json_repair has to undo (single / curly quotes, bare keys, Chinese punctuation, prose around the
# JSON, missing commas, several objects), and answers where the notebook raises (score None).
rnd2 = random.Random(SEED + 1)
def hard(lang):
    key = "little_penguin" if lang == "EN" else "小企鹅"
    picks = [x for x in A if rnd2.random() < 0.5] + [x for x in R if rnd2.random() < 0.15]
    rnd2.shuffle(picks)
    body = json.dumps({key: picks}, ensure_ascii=False)
    k = rnd2.random()
    if k < 0.12: body = body.replace('"', "'")
    elif k < 0.22: body = body.replace('"' + key + '"', key)
    elif k < 0.32: body = body.replace(", ", "，")
    elif k < 0.42: body = "Sure, here it is: " + body + " Let me know."
    elif k < 0.52: body = body.replace(", ", " ", rnd2.randint(1, 5))
    elif k < 0.6: body = body + " " + body
    elif k < 0.68: body = body.replace('"', "“", 1).replace('"', "”", 1)
    elif k < 0.76: body = body[: rnd2.randint(1, len(body))]
    elif k < 0.84: body = body.replace("]", ", ...]")
    elif k < 0.9: body = "[" + ", ".join(str(x) for x in picks) + "]"
    else: body = body.replace(":", "：")
    return "```json\n" + body + "\n```" if (lang == "EN" and rnd2.random() < 0.7) else body
hard_answers = []
for _ in range(120):
    lang = rnd2.choice(["EN", "ZH"])
    variant = rnd2.choice(["searching", "reasoning"])
    line = {"answer": hard(lang), "context_size": 3200, "reference_counting_results": A}
    fn = ns["get_data_EN"] if lang == "EN" else ns["get_data_ZH"]
    try:
        _, m = fn(io.StringIO(json.dumps(line, ensure_ascii=False)), 128000, 32, 32, "Acquisition" if variant == "searching" else "Reasoning")
        one = float(m)
    except Exception:
        one = None
    hard_answers.append({"language": lang, "variant": variant, "answer": line["answer"], "context_size": 3200, "score": one})
json.dump({"answers": answers, "files": files, "hard_answers": hard_answers}, sys.stdout, ensure_ascii=False)
