#!/usr/bin/python3
"""Parity fixtures for @loomscope/benchmark-longbench-v2, made by running LongBench v2's own code.

    /usr/bin/python3 scripts/make-parity-fixture.py /path/to/THUDM-LongBench --seed 1 \
        --out test/fixtures/parity.json --official-dir test/fixtures/official --data-fixture test/fixtures/data/data.json

/path/to/THUDM-LongBench: a checkout of github.com/THUDM/LongBench (repository root: pred.py,
result.py, prompts/). pred.py imports openai, tiktoken, transformers and torch at the top, so it is
not imported: its `extract_answer` function and the statements of `get_pred` that build prompts
are taken from its source (ast) and executed as they are. result.py is run as a script
(`python3 result.py` in a folder holding results/), with os.listdir sorted (result.py walks
os.listdir order; we walk sorted order).

Writes only inputs and what the official code returned or wrote.
"""
import argparse
import ast
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("longbench")
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--out", required=True)
ap.add_argument("--official-dir")
ap.add_argument("--data-fixture")
args = ap.parse_args()

ROOT = os.path.abspath(args.longbench)
PRED_SRC = open(os.path.join(ROOT, "pred.py"), encoding="utf-8").read()
tree = ast.parse(PRED_SRC)
funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}

# extract_answer, exactly as written
ns = {"re": __import__("re")}
exec(compile(ast.Module(body=[funcs["extract_answer"]], type_ignores=[]), "pred.py", "exec"), ns)
extract_answer = ns["extract_answer"]

# the prompt-building statements of get_pred: `prompt = template.replace(...)` (both of them) and the RAG context
get_pred = funcs["get_pred"]
prompt_assigns = [n for n in ast.walk(get_pred) if isinstance(n, ast.Assign)
                  and isinstance(n.targets[0], ast.Name) and n.targets[0].id == "prompt"]
first_prompt = ast.Expression(prompt_assigns[0].value)
cot_prompt = ast.Expression(prompt_assigns[1].value)
rag_stmts = None
for n in ast.walk(get_pred):
    if isinstance(n, ast.If) and "args.rag" in ast.unparse(n.test):
        rag_stmts = [s for s in n.body if isinstance(s, ast.Assign) and ast.unparse(s.targets[0]) in ("retrieved", "context")]
assert len(rag_stmts) == 3, ast.unparse(rag_stmts)
FIRST = compile(first_prompt, "pred.py", "eval")
COT = compile(cot_prompt, "pred.py", "eval")
RAG = compile(ast.Module(body=rag_stmts, type_ignores=[]), "pred.py", "exec")

templates = {}
for key, name in [("zeroShot", "0shot"), ("cot", "0shot_cot"), ("cotAnswer", "0shot_cot_ans"), ("noContext", "0shot_no_context"), ("rag", "0shot_rag")]:
    with open(os.path.join(ROOT, "prompts", f"{name}.txt"), encoding="utf-8") as f:
        templates[key] = f.read()
with open(os.path.join(ROOT, "config", "model2maxlen.json"), encoding="utf-8") as f:
    model2maxlen = json.load(f)

rng = random.Random(args.seed)

# ---------------------------------------------------------------- extract_answer cases
FORMS = [
    "The correct answer is ({x})", "The correct answer is {x}", "The correct answer is **({x})**", "**The correct answer is ({x})**",
    "The correct answer is *{x}*", "the correct answer is ({x})", "The Correct Answer is ({x})", "The correct answer is: ({x})",
    "The correct answer is  ({x})", "The correct answer is ({lx})", "The correct answer is {lx}", "({x})", "{x}", "Answer: {x}",
    "The correct answer is ({x}) because (B) is wrong", "I think (C). The correct answer is ({x})",
    "The correct answer is {x}. The correct answer is (B)", "The correct answer is (B)... wait, The correct answer is ({x})",
    "The correct answer is ({x}", "The correct answer is {x})", "The correct answer is ( {x} )", "The correct answer is （{x}）",
    "The correct answer is\n({x})", "The correct answer is\t{x}", "The correct answer is {x}B", "The correct answer is {x}: text",
    "The correct answer is (E)", "The correct answer is E", "The correct answer is (AB)", "The correct answer is AB",
    "The correct answer is (insert answer here)", "", "   ", "None of the above.", "The correct answer is",
    "The correct answer is *({x})*", "The correct answer is (*{x}*)", "The correct*answer is ({x})", "The correct answer is ({x})\n\nExplanation: ...",
    "Let’s think step by step: ... The correct answer is ({x}).", "THE CORRECT ANSWER IS ({x})", "The correct answer is {x}",
    "The correct answer is ({x})" * 3, "The  correct answer is ({x})", "Thecorrect answer is ({x})", "The correct answer is -{x}",
]
responses = []
for form in FORMS:
    for x in "ABCD":
        responses.append(form.format(x=x, lx=x.lower()))
for _ in range(60):
    base = rng.choice(responses)
    cps = list(base)
    for _ in range(rng.randint(1, 3)):
        if cps and rng.random() < 0.5:
            del cps[rng.randrange(len(cps))]
        else:
            cps.insert(rng.randint(0, len(cps)), rng.choice("*()ABCDE \n."))
    responses.append("".join(cps))
extract_cases = [{"response": r, "pred": extract_answer(r)} for r in responses]

# ---------------------------------------------------------------- prompt cases (pred.py's statements)
class Args:
    rag = 0


def records(n):
    out = []
    domains = ["Single-Document QA", "Multi-Document QA", "Long In-context Learning", "Long-dialogue History Understanding",
               "Code Repository Understanding", "Long Structured Data Understanding"]
    for i in range(n):
        out.append({
            "_id": hashlib.sha1(f"{args.seed}-{i}".encode()).hexdigest()[:24],
            "domain": rng.choice(domains),
            "sub_domain": rng.choice(["Academic", "Legal", "Financial", "Novel", "Dialogue", "Code"]),
            "difficulty": rng.choice(["easy", "hard"]),
            "length": rng.choice(["short", "medium", "long"]),
            "question": rng.choice(["  What happens in chapter 3? ", "Which function is called first?\n", "问题：谁是作者？", "Does $C_A$ appear?"]),
            "choice_A": rng.choice([" Alpha ", "The $Q$ placeholder", "甲"]),
            "choice_B": "Beta\t",
            "choice_C": rng.choice(["Gamma", "$COT$ literally", "\u3000全角空格\u3000"]),
            "choice_D": rng.choice(["Delta", "\x85Delta\x1f", "\ufeffDelta\ufeff", "\u2003Delta\u00a0"]),
            "answer": rng.choice("ABCD"),
            "context": rng.choice(["\n\n  The document. It mentions $DOC$ and $Q$.  \n", "代码仓库内容……\n" * 3, "x" * 1500 + "😀" * 10]),
        })
    return out


prompt_cases = []
for rec in records(12):
    item = dict(rec)
    context = item["context"]
    for setting in ["zeroShot", "cot", "noContext"]:
        env = {"template": templates[setting], "context": context, "item": item}
        prompt_cases.append({"record": rec, "setting": setting, "prompt": eval(FIRST, env)})
    response = rng.choice(["First, consider A.\nThe correct answer is (B)", "  $Q$ is mentioned; answer (C)  "]).strip()
    env = {"template_0shot_cot_ans": templates["cotAnswer"], "context": context, "item": item, "response": response}
    prompt_cases.append({"record": rec, "setting": "cotAnswer", "cot": response, "prompt": eval(COT, env)})
    retrieved = [{"c_idx": rng.randint(0, 50), "content": f"chunk text {j} $Q$"} for j in range(6)]
    for n in [1, 3, 6, 10]:
        a = Args()
        a.rag = n
        env = {"item": dict(item, retrieved_context=retrieved), "args": a}
        exec(RAG, env)
        rag_env = {"template": templates["rag"], "context": env["context"], "item": item}
        prompt_cases.append({"record": rec, "setting": "rag", "retrieved": retrieved, "n": n,
                             "context": env["context"], "prompt": eval(FIRST, rag_env)})

# ---------------------------------------------------------------- result.py folders
scenarios = []
if args.official_dir:
    root = os.path.abspath(args.official_dir)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    hide = tempfile.mkdtemp(prefix="v2-site-")
    with open(os.path.join(hide, "sitecustomize.py"), "w") as f:
        f.write("import os\n_listdir = os.listdir\nos.listdir = lambda p='.': sorted(_listdir(p))\n")

    def item_line(rec, response, cot=None):
        item = {k: rec[k] for k in ["_id", "domain", "sub_domain", "difficulty", "length", "question",
                                    "choice_A", "choice_B", "choice_C", "choice_D", "answer", "context"]}
        if cot is not None:
            item["response_cot"] = cot
        item["response"] = response
        item["pred"] = extract_answer(response)
        item["judge"] = item["pred"] == item["answer"]
        item["context"] = item["context"][:1000]
        return item

    def results_file(n, cot=False):
        lines = []
        for rec in records(n):
            r = rng.choice(responses)
            lines.append(item_line(rec, r.strip(), "Thinking..." if cot else None))
        return lines

    def write(kind, files, compensated=False):
        work = os.path.join(root, kind)
        res = os.path.join(work, "results")
        os.makedirs(res)
        for name, content in files.items():
            path = os.path.join(res, name)
            if isinstance(content, str):
                with open(path, "w", encoding="utf-8") as f:
                    f.write(content)
            elif name.endswith(".json"):
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(content, f, ensure_ascii=False)
            else:
                with open(path, "w", encoding="utf-8") as f:
                    for line in content:
                        f.write(json.dumps(line, ensure_ascii=False) + "\n")
        src = open(os.path.join(ROOT, "result.py"), encoding="utf-8").read()
        if compensated:
            assert "compensated = False" in src
            src = src.replace("compensated = False", "compensated = True")
        runner = os.path.join(work, ".result_py.py")
        with open(runner, "w", encoding="utf-8") as f:
            f.write(src)
        env = dict(os.environ, PYTHONPATH=hide)
        proc = subprocess.run(["/usr/bin/python3", runner], cwd=work, env=env, capture_output=True, text=True)
        os.remove(runner)
        error = None
        if proc.returncode != 0:
            last = [l for l in proc.stderr.strip().splitlines() if l.strip()][-1]
            error = last.split(":")[0].strip()
            assert not os.path.exists(os.path.join(work, "result.txt"))
            with open(os.path.join(work, "expected-error.txt"), "w") as f:
                f.write(error + "\n")
        else:
            os.rename(os.path.join(work, "result.txt"), os.path.join(work, "expected-result.txt"))
        scenarios.append({"kind": kind, "compensated": compensated,
                          "dir": os.path.relpath(res, os.path.dirname(os.path.abspath(args.out))), "error": error})

    main_files = {
        "GLM-4-9B-Chat.jsonl": results_file(60),
        "GLM-4-9B-Chat_cot.jsonl": results_file(45, cot=True),
        "GLM-4-9B-Chat_no_context.jsonl": results_file(40),
        "GLM-4-9B-Chat_rag_16.jsonl": results_file(30),
        "Qwen2.5-7B-Instruct.jsonl": results_file(33),
        "model.v1.2.jsonl": results_file(21),
        "saved-as-array.json": results_file(25),
    }
    write("main", main_files)
    write("compensated", main_files, compensated=True)
    # every item judged right / wrong: 100.0 and 0.0
    all_right = [item_line(rec, f"The correct answer is ({rec['answer']})") for rec in records(24)]
    all_wrong = [item_line(rec, "The correct answer is (E)") for rec in records(24)]
    write("extremes", {"right.jsonl": all_right, "wrong.jsonl": all_wrong})
    # difficulty / length values other than easy, short, medium count as hard / long
    odd = [dict(item_line(rec, "The correct answer is (A)"), difficulty=rng.choice(["easy", "Easy", "medium"]),
                length=rng.choice(["short", "medium", "Long", "long"])) for rec in records(30)]
    write("odd-labels", {"odd.jsonl": odd + [dict(odd[0], difficulty="easy", length="short"), dict(odd[1], difficulty="x", length="medium")]})
    crash = {
        "empty-file": {"a.jsonl": ""},
        "single-line": {"a.jsonl": [item_line(records(1)[0], "The correct answer is (A)")]},
        "judge-null": {"a.jsonl": [dict(l, judge=None) for l in results_file(3)]},
        "missing-difficulty": {"a.jsonl": [{k: v for k, v in l.items() if k != "difficulty"} for l in results_file(3)]},
        "no-easy": {"a.jsonl": [dict(l, difficulty="hard") for l in results_file(5)]},
        "blank-line": {"a.jsonl": "\n".join(json.dumps(l) for l in results_file(3)).replace("\n", "\n\n", 1) + "\n"},
    }
    for name, files in crash.items():
        write(f"crash-{name}", files)

with open(args.out, "w", encoding="utf-8") as f:
    json.dump({
        "longbench": "THUDM/LongBench (pred.py extract_answer and prompt statements, result.py, prompts/, config/)",
        "python": sys.version.split()[0],
        "seed": args.seed,
        "templates_sha256": {k: hashlib.sha256(v.encode("utf-8")).hexdigest() for k, v in templates.items()},
        "model2maxlen": model2maxlen,
        "extract": extract_cases,
        "prompts": prompt_cases,
        "scenarios": scenarios,
    }, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"{len(extract_cases)} extract cases, {len(prompt_cases)} prompt cases, {len(scenarios)} scenarios", file=sys.stderr)
