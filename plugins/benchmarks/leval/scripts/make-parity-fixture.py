#!/usr/bin/env python3
"""Parity fixtures for @loomscope/benchmark-leval, from LEval's own Evaluation/ code.

    NLTK_DATA=/path/to/nltk_data /usr/bin/python3 scripts/make-parity-fixture.py /path/to/LEval \\
        --rouge-score DIR [--seed 0]

/path/to/LEval: a checkout of github.com/OpenLMLab/LEval (Evaluation/auto_eval.py, em.py, f1.py, rouge.py are
imported and run unmodified; its LEval-data/ and Predictions/ files supply references and real model outputs).
DIR holds Google's `rouge_score` package (PyPI rouge-score 0.1.2). NLTK_DATA must hold nltk_data's
tokenizers/punkt (rouge.py's postprocess_text calls nltk.sent_tokenize). Debian 12's python3 with python3-nltk,
python3-numpy, python3-six.

auto_eval.py subclasses `datasets.Metric` and imports `datasets.load_dataset` (through Baselines/LEval_config.py);
HF datasets cannot be installed here and `datasets.Metric` is gone from current releases, so a stand-in `datasets`
module provides them: `Metric.compute(predictions=..., references=...)` calls `self._compute` with the same lists
(what the real one hands over after its Arrow round trip of plain strings), `load_dataset` is never called.

Writes test/fixtures/parity.json (per-function cases: answer extraction, exact match, F1, ROUGE pairs, each with
the official result or the exception it raised) and test/fixtures/Predictions/{exam_eval,ngram_eval}/<model>/
<task>.pred.jsonl with what `python Evaluation/auto_eval.py --pred_file <file>` printed for each
(test/fixtures/auto-eval-printed.json). A different --seed gives a different, unseen set (LEVAL_FIXTURE=path).
"""
import argparse
import ast
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "test", "fixtures")

DATASETS_STANDIN = '''
"""Stand-in for HF datasets: what LEval's auto_eval.py and LEval_config.py touch."""


class Metric:
    def __init__(self, config_name=None, *args, **kwargs):
        self.config_name = config_name

    def compute(self, *, predictions=None, references=None, **kwargs):
        return self._compute(predictions=predictions, references=references)


class MetricInfo:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


def Features(d):
    return d


def Value(t):
    return t


def Sequence(t):
    return [t]


def load_dataset(*args, **kwargs):
    raise RuntimeError("load_dataset is not used by the fixture")
'''

CLOSED = ["coursera", "quality", "tpo", "gsm100", "codeU", "topic_retrieval_longchat", "sci_fi"]
OPEN = ["financial_qa", "gov_report_summ", "legal_contract_qa", "meeting_summ", "multidoc_qa", "narrative_qa",
        "natural_question", "news_summ", "paper_assistant", "patent_summ", "review_summ", "scientific_qa", "tv_show_summ"]
F1_TASKS = {"financial_qa", "legal_contract_qa", "multidoc_qa", "narrative_qa", "natural_question", "scientific_qa"}


def clip(s, n):
    return s if len(s) <= n else s[:n]


def real_outputs(repo, task, kind):
    """Model predictions the repository ships for a task (all models), and the references beside them."""
    out = []
    for f in sorted(glob.glob(os.path.join(repo, "Predictions", kind, "*", f"{task}.pred.jsonl"))):
        with open(f) as fh:
            for line in fh:
                try:
                    d = json.loads(line)
                except ValueError:
                    continue
                key = next((k for k in d if "_pred" in k), None)
                if key and isinstance(d.get("gt"), str):
                    out.append((d[key], d["gt"], d.get("evaluation")))
    return out


def data_outputs(repo, task):
    sub = "Closed-ended-tasks" if task in CLOSED else "Open-ended-tasks"
    path = os.path.join(repo, "LEval-data", sub, f"{task}.jsonl")
    if not os.path.exists(path):
        return []
    res = []
    with open(path) as fh:
        for line in fh:
            d = json.loads(line)
            for inst, out in zip(d["instructions"], d["outputs"]):
                res.append((inst, out, d["evaluation"]))
    return res


MC_RESPONSES = ["A", "B", "C", "D", "AB", "BC", "BCD", "ABCD", "DA", "CA", "E", "", " ", "\n", "a", "b c", "(A)", "(B) text",
                "The answer is C.", "Answer: A C", "Answer: B, D", "Question 3: B", "B. Question: C", "I think (A) is right. Question 2: B",
                "A B C", "A.B.", "AC and D", "none of them", "Correct: D)", "  D  ", "D)", "CCC", "BB A", "Options A and C.",
                "\u00a0A", "Ａ", "ＡＢ", "X Y Z", "Z.", "Both B and D are correct", "B\nD", "D\nQuestion 2\nA", "E. nothing",
                "A)", "The correct options are B, C.", "b. Option", "no answer", "It is A", "A, B and D"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("official", help="checkout of OpenLMLab/LEval")
    ap.add_argument("--rouge-score", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=os.path.join(FIXTURES, "parity.json"))
    ap.add_argument("--predictions-out", default=os.path.join(FIXTURES, "Predictions"))
    a = ap.parse_args()
    repo = os.path.abspath(a.official)
    rng = random.Random(a.seed)

    stand = tempfile.mkdtemp()
    with open(os.path.join(stand, "datasets.py"), "w") as f:
        f.write(DATASETS_STANDIN)
    sys.path[:0] = [os.path.join(repo, "Evaluation"), stand, os.path.abspath(a.rouge_score)]
    sys.argv = ["auto_eval.py"]
    import auto_eval as ae  # noqa: E402
    import em  # noqa: E402
    import f1 as f1mod  # noqa: E402
    import rouge as lrouge  # noqa: E402

    devnull = open(os.devnull, "w")

    def call(fn, *args):
        old = sys.stdout
        sys.stdout = devnull  # em.py prints every comparison
        try:
            return {"value": fn(*args)}
        except Exception as e:
            return {"error": type(e).__name__}
        finally:
            sys.stdout = old

    fx = {"generator": "scripts/make-parity-fixture.py", "seed": a.seed}

    # --- process_output_mc / process_gt_mc
    mc_real = [p for t in ("coursera", "quality", "tpo") for p, _, _ in real_outputs(repo, t, "exam_eval")]
    responses = list(MC_RESPONSES) + [clip(p, 300) for p in rng.sample(mc_real, min(len(mc_real), 150))]
    cases = []
    for r in responses:
        for coursera in (False, True):
            ae.args = types.SimpleNamespace(pred_file="Predictions/exam_eval/m/coursera.pred.jsonl" if coursera else "Predictions/exam_eval/m/quality.pred.jsonl")
            cases.append({"response": r, "coursera": coursera, **call(ae.process_output_mc, r)})
    fx["process_output_mc"] = cases
    gts = [o for t in ("coursera", "quality", "tpo") for _, o, _ in data_outputs(repo, t)]
    fx["process_gt_mc"] = [{"gt": g, **call(ae.process_gt_mc, g)} for g in sorted(set(gts))[:120] + ["", "   ", "(E) x", "ab", "A,B", "ÀB"]]

    # --- process_math
    math_real = [p for p, _, _ in real_outputs(repo, "gsm100", "exam_eval")]
    math = [clip(p, 800) for p in rng.sample(math_real, min(len(math_real), 120))]
    math += ["The answer is 42.", "The answer is $1,234.50 dollars", "The answer is x", "no digits here", "", "12 apples\n\n34 pears",
             "The answer is ٣٤", "The answer is ²3", "It costs 3.5 dollars", "3.", "answer: 7", "The answer is 1.0.", "The answer is\n5"]
    math += [o for _, o, _ in data_outputs(repo, "gsm100")][:30]
    fx["process_math"] = [{"response": m, **call(ae.process_math, m)} for m in math]

    # --- codeU
    code_real = real_outputs(repo, "codeU", "exam_eval")
    code_cases = [(clip(p, 800), g) for p, g, _ in rng.sample(code_real, min(len(code_real), 80))]
    code_cases += [("The final output is [6, 15]", "[6 15]"), ("the final output will be 3.0 and 'x'", "3 x"), ("", "1"),
                   ("This is the result: [[1, 2], [3, 4]]", "[[1 2] [3 4]]"), ("printed value would be 1,000", "1000"),
                   ("the value of x is\n\n 12.0 ", "12"), ("the final output the final output 5 6 7 8 9 10", "5")]
    fx["process_output_code"] = [{"response": r, "gt": g, **call(ae.process_output_code, r, g)} for r, g in code_cases]
    fx["process_gt_code"] = [{"gt": g, **call(ae.process_gt_code, g)} for _, g in code_cases]

    # --- sci_fi judge
    sf = ["True [fact: False]", "False [fact: True]", "true. [fact: the answer is false]", "[fact: True]", "True", "",
          "I believe it is TRUE [fact: FALSE.]", "untrue [fact: falsehood]", "It is false [fact: it is true]", "maybe [fact: ]",
          "True [fact: False] [fact: True]", "[FACT: true]", "Yes [fact: No]", "trueish [fact: falsey]x", "True [fact:False]"]
    sf += [p for p, _, _ in real_outputs(repo, "sci_fi", "exam_eval")][:30]
    fx["process_output_judge"] = [{"response": r, **call(ae.process_output_judge, r)} for r in sf]
    fx["process_gt_judge"] = [{"gt": g, **call(ae.process_gt_judge, g)} for _, g, _ in data_outputs(repo, "sci_fi")[:20]]

    # --- exact_match_score (em.py)
    em_pairs = []
    for p in ["A", "B", "AB", "BA", "ABC", "", "None", "a", "A B", "D", "AD"]:
        for g in ["A", "AB", "BD", "ABCD", "C"]:
            em_pairs.append((p, g))
    for p, g in [("18", "18"), ("18.0", "18"), ("1_8", "18"), (" 18 ", "18"), ("nan", "nan"), ("inf", "Infinity"), ("018", "18"),
                 ("The role of art in society", "the role of art in society"), ("role of Art", "The role of art in society"),
                 ("the roleofart insociety!", "The role of art in society"), ("true", "true"), ("<error>", "false"), ("", ""),
                 ("abc", ""), ("", "abc"), ("1e2", "100"), ("٣", "3"), ("the", "The"), ("A.", "A"), ("an apple", "apple"),
                 ("[6 15]", "[6 15]"), ("[6, 15]", "[6 15]"), ("x [6 15] y", "[6 15]")]:
        em_pairs.append((p, g))
    topic_real = real_outputs(repo, "topic_retrieval_longchat", "exam_eval")
    em_pairs += [(clip(p, 200), g) for p, g, _ in rng.sample(topic_real, min(len(topic_real), 60))]
    fx["exact_match_score"] = [{"prediction": p, "gt": g, **call(em.exact_match_score, p, g)} for p, g in em_pairs]

    # --- f1_score (f1.py)
    f1_pairs = []
    for t in sorted(F1_TASKS):
        for p, g, _ in rng.sample(real_outputs(repo, t, "ngram_eval"), 8):
            f1_pairs.append((clip(p, 600), g))
    f1_pairs += [("", "x"), ("The the a an", "the"), ("Ünïcödé text", "ünïcödé TEXT"), ("a b c", "c b a"), ("x", "")]
    fx["f1_score"] = [{"prediction": p, "gt": g, **call(f1mod.f1_score, p, g)} for p, g in f1_pairs]

    # --- ROUGE per pair, the way auto_eval.py computes it (postprocess_text, then rouge_score fmeasure * 100)
    rouge_pairs = []
    for t in sorted(set(OPEN) - F1_TASKS):
        real = real_outputs(repo, t, "ngram_eval")
        for p, g, _ in rng.sample(real, min(len(real), 8)):
            rouge_pairs.append((clip(p, 2500), clip(g, 2500)))
    rouge_pairs += [("", "The report describes powers."), ("Mr. Smith went to Washington. He said hi.", "Mr. Smith went. He said hi."),
                    ("One.\n\nTwo. Three?", "one two three"), ("...", "..."), ("U.S. policy (e.g. tariffs).", "US policy, e.g., tariffs.")]

    def rouge_one(p, g):
        r = lrouge.compute_rouge([lrouge.postprocess_text(p)], [lrouge.postprocess_text(g)], use_stemmer=False)
        return {k: v[0].fmeasure * 100 for k, v in r.items()}

    fx["rouge"] = [{"prediction": p, "gt": g, **call(rouge_one, p, g)} for p, g in rouge_pairs]
    fx["sent_tokenize"] = [{"text": p, "sentences": lrouge.nltk.sent_tokenize(p)} for p, _ in rouge_pairs[:20]]

    # --- llm_eval.py: the judge prompt and the verdicts of play_a_match_pair, with canned judgments.
    with open(os.path.join(stand, "openai.py"), "w") as f:
        f.write("class error:\n    class OpenAIError(Exception):\n        pass\n")
    import llm_eval  # noqa: E402
    src = open(os.path.join(repo, "Evaluation", "llm_eval.py")).read()
    llm_eval.judge_prompts = ast.literal_eval(re.search(r"judge_prompts = (\{.*?\})\n", src, re.S).group(1).replace('args.judge_model', '"gpt-4"'))
    llm_eval.args = types.SimpleNamespace(judge_model="gpt-4")
    llm_eval.start_idx = 1  # past the interactive first example
    canned = ["[[A]]", "[[B]]", "[[C]]", "no verdict", "[[B]] but [[A]]", "[[C]] and [[B]]", "$ERROR$", "[[a]]", "[A]", ""]
    judge_cases = []
    for i in range(40):
        g1, g2 = rng.choice(canned), rng.choice(canned)
        replies = iter([g1, g2])
        seen = []

        def fake(model, messages, temperature, max_tokens, _replies=replies, _seen=seen):
            _seen.append({"model": model, "messages": messages, "temperature": temperature, "max_tokens": max_tokens})
            return next(_replies)

        llm_eval.chat_compeletion_openai = fake
        sample = {"query": f"What happened in part {i}? {{braces}}", "gt": "The reference answer.", "m1_pred": f"answer {i}", "m2_pred": "battle answer"}
        old = sys.stdout
        sys.stdout = devnull
        try:
            winners = llm_eval.play_a_match_pair(sample, "", "m1_pred", "m2_pred")
        finally:
            sys.stdout = old
        judge_cases.append({"judgments": [g1, g2], "winners": winners, "calls": seen, "sample": sample})
    fx["judge"] = judge_cases

    # --- Prompt constants as the baseline scripts write them (read from the files, compared byte for byte).
    turbo = open(os.path.join(repo, "Baselines", "turbo16k-test.py")).read()
    llama = open(os.path.join(repo, "Baselines", "llama2-chat-test.py")).read()
    cfg = open(os.path.join(repo, "Baselines", "LEval_config.py")).read()
    lit = lambda pat, text: ast.literal_eval(re.search(pat, text).group(1))
    fx["constants"] = {
        "sys_prompts": [ast.literal_eval(m) for m in re.findall(r'prompt\s*=\s*(".*?")\n', cfg[cfg.index("def get_sys_prompt"):])],
        "max_new_tokens": lit(r"max_new_tokens = (\d+)", cfg),
        "turbo_exam": lit(r'context = ("Document is as follows\. \{\} Question.*?")\n', turbo),
        "turbo_open_head": lit(r'context = ("Document is as follows\. \{\} Instruction: \{\} ") \+', turbo),
        "turbo_open_tail": ast.literal_eval('"' + re.search(r'f"(The suggested output length is around \{len\(out\.split\(\)\)\} words\. Output: )"', turbo).group(1) + '"').replace("{len(out.split())}", "{n_words}"),
        "turbo_fact_suffix": lit(r'"based on the real-world knowledge and facts up until your last training"\) \+ ("[^"]*")', turbo),
        "llama_exam": lit(r'context = ("Document is as follows\. \{document\} \\nQuestion.*?")\n', llama),
        "llama_open_head": lit(r'context = ("Document is as follows\. \{document\} Instruction: \{inst\} ") \+', llama),
        "llama_open_tail": ast.literal_eval('"' + re.search(r'f"(\\nAnswer this question with \{len\(out\.split\(\)\)\} words\.)"', llama).group(1) + '"').replace("{len(out.split())}", "{n_words}"),
        "llama_fact_suffix": lit(r'"based on the real-world knowledge and facts up until your last training"\) \+ ("[^"]*")', llama),
        "llama_markup": {k: lit(k + r' = ("[^"]*")', llama.replace("B_INST, E_INST = ", "B_INST = ").replace(', "[/INST]"', "\nE_INST = \"[/INST]\"").replace("B_SYS, E_SYS = ", "B_SYS = ").replace(', "\\n<</SYS>>\\n\\n"', "\nE_SYS = \"\\n<</SYS>>\\n\\n\"")) for k in ("B_INST", "E_INST", "B_SYS", "E_SYS")},
        "sci_fi_world": "based on the world described in the document.",
        "sci_fi_real": "based on the real-world knowledge and facts up until your last training",
    }

    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(fx, f, ensure_ascii=False, indent=0)
        f.write("\n")

    # --- Whole prediction files through `python Evaluation/auto_eval.py --pred_file ...`
    root = os.path.dirname(os.path.abspath(a.predictions_out))
    if os.path.isdir(a.predictions_out):
        shutil.rmtree(a.predictions_out)
    model = "fx-model"
    files = []
    for task in CLOSED + OPEN:
        kind = "exam_eval" if task in CLOSED else "ngram_eval"
        pool = real_outputs(repo, task, kind)
        data = data_outputs(repo, task)
        lines = []
        if task == "topic_retrieval_longchat":
            picked = pool[:12]
            for i, (p, g, _) in enumerate(picked):
                lines.append({"query": "q", "gt": g, f"{model}_pred": clip(p, 300) if i % 4 else g.upper(), "evaluation": "exam"})
        elif task == "sci_fi":
            gts = [o for _, o, _ in data][:10]
            preds = ["True [fact: False]", "False [fact: False]", "true [fact: true]", "I think it's false. [fact: TRUE]", "maybe [fact: no]"]
            for i, g in enumerate(gts):
                lines.append({"query": "q", "gt": g, f"{model}_pred": preds[i % len(preds)], "evaluation": "exam"})
        elif pool:
            picked = rng.sample(pool, min(len(pool), 10))
            for p, g, ev in picked:
                lines.append({"query": "q", "gt": g, f"{model}_pred": clip(p, 2000), "evaluation": ev or ("exam" if task in CLOSED else "f1")})
            if task in OPEN:
                lines[0]["evaluation"] = "LLM"  # skipped by auto_eval.py
                lines.append({"query": "q", "gt": "x", f"{model}_pred": "y", "evaluation": "human"})
        else:
            ev = "exam" if task in CLOSED else ("f1" if task in F1_TASKS else "rouge")
            gts = [o for _, o, _ in data][:10] or ["42", "7", "the answer"]
            for i, g in enumerate(gts):
                lines.append({"query": "q", "gt": g, f"{model}_pred": rng.choice([g, g + " extra words", "", "x " + g]), "evaluation": ev})
        d = os.path.join(a.predictions_out, kind, model)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, f"{task}.pred.jsonl")
        with open(path, "w") as f:
            for i, line in enumerate(lines):
                f.write(json.dumps(line) + "\n")
                if i == 2:
                    f.write("not json\n")  # read_jsonl skips it
        files.append(os.path.relpath(path, root))

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([stand, os.path.abspath(a.rouge_score)]))
    printed = {}
    for rel in files:
        proc = subprocess.run([sys.executable, os.path.join(repo, "Evaluation", "auto_eval.py"), "--pred_file", rel],
                              cwd=root, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            printed[rel] = {"error": proc.stderr.strip().splitlines()[-1]}
            continue
        printed[rel] = parse_printed(proc.stdout)
    with open(os.path.join(root, "auto-eval-printed.json"), "w", encoding="utf-8") as f:
        json.dump(printed, f, indent=1, ensure_ascii=False)
        f.write("\n")
    n = sum(len(v) for k, v in fx.items() if isinstance(v, list))
    print(f"{n} function cases -> {a.out}; {len(files)} prediction files scored by auto_eval.py")


def describe(v):
    """Python values with int and float kept apart (JSON cannot)."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, list):
        return [describe(x) for x in v]
    return {"dict": {k: describe(x) for k, x in v.items()}}


def parse_printed(stdout):
    """The numbers auto_eval.py prints, keyed as printed."""
    out = {}
    for line in stdout.splitlines():
        m = re.match(r"^(first \d sentence retrieval score|loyalty score|fact score): (\{.*\})$", line)
        if m:
            out[m.group(1)] = describe(ast.literal_eval(m.group(2)))
            continue
        m = re.match(r"^(average score of the 1st/2nd/3rd sentence retrieval|average score of fact and loyalty): (.*)$", line)
        if m:
            out[m.group(1)] = describe(ast.literal_eval(m.group(2)))
            continue
        if line.startswith("{'"):
            out["metrics"] = describe(ast.literal_eval(line))
    return out


if __name__ == "__main__":
    main()
