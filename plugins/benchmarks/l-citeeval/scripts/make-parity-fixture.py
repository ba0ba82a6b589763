#!/usr/bin/env python3
"""Parity fixtures for @loomscope/benchmark-l-citeeval, made by running L-CiteEval's own scripts.

    /usr/bin/python3 scripts/make-parity-fixture.py /path/to/L-CITEEVAL --rouge /path/to/rouge-1.0.1 --seed 1 --out test/fixtures

/path/to/L-CITEEVAL: a checkout of github.com/ZetangForward/L-CITEEVAL (script/, prompt/). Nothing of
it is copied. Stand-ins: torch, transformers (AutoTokenizer; `pipeline` returns a scripted NLI model
whose label for each (text, text_pair) is drawn from a hash of the pair and the seed), yaml, requests.
nltk's `sent_tokenize` needs the English Punkt data, which is not installed here: it is replaced by a
PunktSentenceTokenizer with a small made-up parameter set (abbreviations, collocations, sentence
starters, orthographic context), written out as punkt_tab files so the TypeScript side loads the same.
eval_correct.py references an undefined name (`low_bound`) and stops on its first sample; it is run
with `low_bound = 0` defined, which makes its buckets those of eval_citation.py for positive lengths.

Writes under --out: parity-prompts.json, parity-citation.json (+ punkt_tab/), parity-correct.json.
"""
import argparse
import contextlib
import hashlib
import io
import json
import os
import random
import runpy
import shutil
import sys
import tempfile
import types

TASKS = ["narrativeqa", "natural_questions", "hotpotqa", "2wikimultihopqa", "gov_report", "multi_news", "qmsum", "locomo", "dialsim",
         "counting_stars", "niah"]
QA = ["narrativeqa", "natural_questions", "hotpotqa", "2wikimultihopqa", "dialsim", "locomo"]
SUMM = ["qmsum", "gov_report", "multi_news"]

PARAMS = {
    "abbrev_types": ["dr", "mr", "e.g", "u.s", "fig", "no", "vs", "inc"],
    "collocations": [["##number##", "percent"], ["st", "louis"]],
    "sent_starters": ["however", "the", "he", "it"],
    "ortho_context": {"however": 18, "the": 54, "he": 34, "smith": 6, "paris": 2, "it": 50, "planet": 96},
}


def punkt_params():
    from nltk.tokenize.punkt import PunktParameters
    p = PunktParameters()
    p.abbrev_types = set(PARAMS["abbrev_types"])
    p.collocations = set(tuple(c) for c in PARAMS["collocations"])
    p.sent_starters = set(PARAMS["sent_starters"])
    for k, v in PARAMS["ortho_context"].items():
        p.ortho_context[k] = v
    return p


def write_punkt_tab(d):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "abbrev_types.txt"), "w") as f:
        f.write("\n".join(PARAMS["abbrev_types"]) + "\n")
    with open(os.path.join(d, "collocations.tab"), "w") as f:
        f.write("\n".join("\t".join(c) for c in PARAMS["collocations"]) + "\n")
    with open(os.path.join(d, "sent_starters.txt"), "w") as f:
        f.write("\n".join(PARAMS["sent_starters"]) + "\n")
    with open(os.path.join(d, "ortho_context.tab"), "w") as f:
        f.write("\n".join(f"{k}\t{v}" for k, v in PARAMS["ortho_context"].items()) + "\n")


class NLI:
    """A scripted NLI pipeline: label from a hash of (text, text_pair, seed); every call recorded."""

    def __init__(self, seed):
        self.seed = seed
        self.calls = []

    def __call__(self, batch):
        out = []
        for x in batch:
            h = hashlib.sha256(f"{self.seed}\x00{x['text']}\x00{x['text_pair']}".encode()).digest()[0]
            label = "entailment" if h < 150 else ("neutral" if h < 220 else "contradiction")
            self.calls.append([hashlib.sha256((x["text"] + "\x00" + x["text_pair"]).encode()).hexdigest(), label])
            out.append({"label": label, "score": 0.9})
        return out


def install_stubs(nli):
    torch = types.ModuleType("torch")
    torch.cuda = types.SimpleNamespace(is_available=lambda: False)
    tr = types.ModuleType("transformers")

    class Tok:
        @staticmethod
        def from_pretrained(*a, **k):
            return Tok()

        def apply_chat_template(self, *a, **k):
            raise ValueError("no chat template")
    for name in ("AutoTokenizer", "T5ForConditionalGeneration", "AutoModelForCausalLM", "AutoConfig", "LlamaForCausalLM", "LlamaTokenizer",
                 "AutoModelForSeq2SeqLM"):
        setattr(tr, name, Tok)
    tr.pipeline = lambda *a, **k: nli
    sys.modules.update({"torch": torch, "transformers": tr})
    for m in ("yaml", "requests"):
        sys.modules.setdefault(m, types.ModuleType(m))
    ud = types.ModuleType("torch.utils.data")
    ud.Dataset = object
    ud.DataLoader = object
    sys.modules["torch.utils"] = types.ModuleType("torch.utils")
    sys.modules["torch.utils.data"] = ud


WORDS = ["the", "planet", "orbits", "star", "Dr.", "Smith", "found", "it", "in", "1999.", "However", "he", "said", "no", "e.g.", "Paris",
         "U.S.", "5", "percent", "St.", "Louis", "was", "blue", "Fig.", "3", "vs.", "Inc."]


def sentence(rng):
    s = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 10)))
    return s + rng.choice([".", ".", "!", "?", ""])


def make_records(rng, task, n=14):
    recs = []
    lengths = [100, 7999, 8000, 8001, 15999, 16000, 23000, 24000, 31000, 39999, 40000, 47999, 48000, 60000, 45000, 0]
    for i in range(n):
        ndocs = rng.randint(3, 8)
        docs = []
        for j in range(ndocs):
            text = " ".join(sentence(rng) for _ in range(rng.randint(1, 3)))
            if task == "counting_stars" and j in (1, ndocs - 1):
                text += f" The little penguin counted {rng.randint(2, 40)} ★"
            if rng.random() < 0.05:
                text += " {A} {ID} braces {x}"
            if task in ("hotpotqa", "2wikimultihopqa") and rng.random() < 0.5:
                title = f"Title {j}"
                docs.append({"title": title, "text": (title + "\n" if rng.random() < 0.5 else "\n") + text + "\n"})
            else:
                docs.append(text)
        rec = {"id": i + 1, "question": sentence(rng).rstrip(".!?") + "?", "docs": docs, "length": lengths[i % len(lengths)]}
        if task == "multi_news" and i == 3:
            rec["length"] = 45000
        if task in QA:
            rec["answer"] = [sentence(rng).rstrip(".!?") for _ in range(rng.randint(1, 3))] if rng.random() < 0.7 else sentence(rng)
        elif task in SUMM:
            rec["answer"] = " ".join(sentence(rng) for _ in range(3))
        elif task == "niah":
            needle = f"needle{i} is {rng.randint(100, 999)}"
            k = rng.randrange(ndocs)
            docs[k] = docs[k] + " " + needle + "."
            rec["answer"] = needle
        else:
            rec["answer"] = [int(x.split("counted ")[1].split(" ")[0]) for x in docs if isinstance(x, str) and "The little penguin counted" in x]
        if task == "dialsim":
            rec["role"] = rng.choice(["Sheldon", "Leonard", "Penny"])
        recs.append(rec)
    return recs


def generation(rng, task, rec):
    n = len(rec["docs"])
    if task == "counting_stars":
        gold = [j + 1 for j, d in enumerate(rec["docs"]) if "The little penguin counted" in d]
        choice = rng.random()
        if choice < 0.15:
            return "I cannot count."
        ids = rng.sample(range(1, n + 1), rng.randint(1, min(3, n))) + (gold[:1] if rng.random() < 0.6 else [])
        counts = rec["answer"][:1] + [rng.randint(1, 40) for _ in range(rng.randint(0, 3))]
        return "Answer: " + json.dumps({"little_penguin": counts, "passage_id": ids}) + ("\nextra }" if rng.random() < 0.2 else "")
    parts = []
    for _ in range(rng.randint(0, 4)):
        cites = "".join(f"[{rng.randint(0, n + 1)}]" for _ in range(rng.randint(0, 4)))
        parts.append(sentence(rng).rstrip(".!?") + " " + cites + rng.choice([".", "!", ""]))
    text = " ".join(parts)
    if task in SUMM and rng.random() < 0.4:
        text = rng.choice(["Summary: ", "summary of the passages: ", "Here is a summary\n"]) + text
    if task == "niah" and rng.random() < 0.7:
        text = rec["answer"] + f" [{rng.randint(1, n)}]." + (" more" if rng.random() < 0.5 else "")
    if rng.random() < 0.2:
        text = text + "\n" + sentence(rng) + " [1]"
    if task == "niah" and not text.strip():
        text = "nothing [1]"
    return text


def run_script(path, cwd, argv, init_globals=None):
    old_cwd, old_argv = os.getcwd(), sys.argv
    os.chdir(cwd)
    sys.argv = [path] + argv
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            g = runpy.run_path(path, init_globals=init_globals or {}, run_name="__main__")
        return g, None
    except BaseException as e:
        if isinstance(e, KeyboardInterrupt):
            raise
        return None, type(e).__name__
    finally:
        os.chdir(old_cwd)
        sys.argv = old_argv


def setup(work, exp, task, recs, gens):
    os.makedirs(os.path.join(work, "data", "L-CiteEval", exp), exist_ok=True)
    os.makedirs(os.path.join(work, "result", exp, task), exist_ok=True)
    with open(os.path.join(work, "data", "L-CiteEval", exp, f"{task}.json"), "w") as f:
        json.dump(recs, f, ensure_ascii=False)
    preds = [{"id": i + 1, "question": r.get("question"), "answer": r["answer"], "generation": [g], "model_input": "x"} for i, (r, g) in enumerate(zip(recs, gens))]
    with open(os.path.join(work, "result", exp, task, "1shot_test-model.json"), "w") as f:
        json.dump(preds, f, ensure_ascii=False, indent=2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lciteeval")
    ap.add_argument("--rouge", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures"))
    args = ap.parse_args()
    lc = os.path.abspath(args.lciteeval)
    sys.path.insert(0, args.rouge)
    rng = random.Random(args.seed)
    nli = NLI(args.seed)
    install_stubs(nli)
    import nltk
    from nltk.tokenize import PunktSentenceTokenizer
    tok = PunktSentenceTokenizer(punkt_params())
    nltk.sent_tokenize = lambda text, language="english": tok.tokenize(text)
    os.makedirs(args.out, exist_ok=True)
    write_punkt_tab(os.path.join(args.out, "punkt_tab", "english"))

    # Prompts: get_instruction_template of inference_1shot_vllm.py (a tokenizer without chat template).
    sys.path.insert(0, os.path.join(lc, "script"))
    import inference_1shot_vllm as inf
    prompts = []
    for task in TASKS:
        pf = "2WikiMultihopQA_default.json" if task == "2wikimultihopqa" else f"{task}_default.json"
        prompt = json.load(open(os.path.join(lc, "prompt", pf)))
        for rec in make_records(rng, task, 3):
            prompts.append({"task": task, "record": rec, "prompt": inf.get_instruction_template(task, prompt, rec, sys.modules["transformers"].AutoTokenizer())})

    citation, correct = [], []
    for exp, tasks in (("l-citeeval", TASKS), ("l-citeeval-length", ["narrativeqa", "hotpotqa", "gov_report", "locomo", "counting_stars"])):
        for task in tasks:
            recs = make_records(rng, task)
            gens = [generation(rng, task, r) for r in recs]
            work = tempfile.mkdtemp(prefix="lcite-")
            setup(work, exp, task, recs, gens)
            rel = f"result/{exp}/{task}/1shot_test-model.json"
            nli.calls = []
            _, err = run_script(os.path.join(lc, "script", "eval_citation.py"), work, ["--file", rel, "--exp", exp, "--task", task])
            out_path = os.path.join(work, "result", exp, task, "deberta_score_1shot_test-model.json")
            citation.append({"exp": exp, "task": task, "records": recs, "generations": gens, "error": err,
                             "nli": nli.calls, "output": open(out_path).read() if err is None else None})
            _, err2 = run_script(os.path.join(lc, "script", "eval_correct.py"), work, ["--file", rel, "--exp", exp, "--task", task, "--model", "test-model"],
                                 {"low_bound": 0})
            cpath = os.path.join(work, "result", exp, task, "correct_score_1shot_test-model.json")
            _, err3 = run_script(os.path.join(lc, "script", "eval_correct.py"), work, ["--file", rel, "--exp", exp, "--task", task, "--model", "test-model"])
            correct.append({"exp": exp, "task": task, "records": recs, "generations": gens, "error": err2, "unrepaired_error": err3,
                            "output": open(cpath).read() if err2 is None else None})
            shutil.rmtree(work)
    # Single-record runs where a script stops: which exception, to compare with our errors.
    crashes = []
    base = {"id": 1, "question": "q?", "length": 1000}
    star_docs = ["a", "The little penguin counted 7 ★", "b"]
    for script, task, rec, gen in [
        ("eval_correct.py", "niah", {**base, "docs": ["x needle y"], "answer": "needle"}, ""),
        ("eval_correct.py", "niah", {**base, "docs": ["x needle y"], "answer": "needle"}, "..."),
        ("eval_correct.py", "gov_report", {**base, "docs": ["d"], "answer": ["a summary", "b"]}, "A summary."),
        ("eval_correct.py", "gov_report", {**base, "docs": ["d"], "answer": "ref"}, "..."),
        ("eval_correct.py", "counting_stars", {**base, "docs": star_docs, "answer": [7]}, '{"passage_id": [2]}'),
        ("eval_correct.py", "counting_stars", {**base, "docs": star_docs, "answer": [7]}, '{"little_penguin": [7], "passage_id": []}'),
        ("eval_correct.py", "counting_stars", {**base, "docs": star_docs, "answer": [7]}, '{"little_penguin": 7, "passage_id": [2]}'),
        ("eval_correct.py", "counting_stars", {**base, "docs": star_docs, "answer": [7]}, '{"little_penguin": [7], "passage_id": 2}'),
        ("eval_correct.py", "counting_stars", {**base, "docs": star_docs, "answer": [7, 8]}, '{"little_penguin": [7], "passage_id": [2]}'),
        ("eval_citation.py", "niah", {**base, "docs": ["x y"], "answer": "needle"}, "needle [1]"),
        ("eval_citation.py", "counting_stars", {**base, "docs": star_docs, "answer": [7]}, '{"little_penguin": [7], "passage_id": []}'),
        ("eval_citation.py", "counting_stars", {**base, "docs": star_docs, "answer": [7]}, '{"little_penguin": [7], "passage_id": [[2]]}'),
    ]:
        work = tempfile.mkdtemp(prefix="lcite-crash-")
        setup(work, "l-citeeval", task, [rec], [gen])
        rel = f"result/l-citeeval/{task}/1shot_test-model.json"
        extra = ["--model", "test-model"] if script == "eval_correct.py" else []
        _, err = run_script(os.path.join(lc, "script", script), work, ["--file", rel, "--exp", "l-citeeval", "--task", task] + extra,
                            {"low_bound": 0} if script == "eval_correct.py" else None)
        crashes.append({"script": script, "task": task, "record": rec, "generation": gen, "error": err})
        shutil.rmtree(work)
    with open(os.path.join(args.out, "parity-crashes.json"), "w") as f:
        json.dump({"seed": args.seed, "cases": crashes}, f, ensure_ascii=False, indent=0)
    with open(os.path.join(args.out, "parity-prompts.json"), "w") as f:
        json.dump({"seed": args.seed, "cases": prompts}, f, ensure_ascii=False, indent=0)
    with open(os.path.join(args.out, "parity-citation.json"), "w") as f:
        json.dump({"seed": args.seed, "params": PARAMS, "runs": citation}, f, ensure_ascii=False, indent=0)
    with open(os.path.join(args.out, "parity-correct.json"), "w") as f:
        json.dump({"seed": args.seed, "runs": correct}, f, ensure_ascii=False, indent=0)


if __name__ == "__main__":
    main()
