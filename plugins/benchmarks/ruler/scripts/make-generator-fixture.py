#!/usr/bin/env python3
"""Runs RULER's own generators (scripts/data/synthetic/*.py) on small configs and writes what they
produce to test/fixtures/generator.json, for test/official-generator.test.ts.

    /usr/bin/python3 scripts/make-generator-fixture.py <RULER checkout> <wonderwordsmodule checkout> \
        [--seed 42] > test/fixtures/generator.json

Each task script runs unchanged in a subprocess with the arguments prepare.py gives it (its
`--template` is template.py's model template around the task template, plus the answer prefix), in
a copy of the checkout's scripts/ folder whose json/ holds small synthetic data files (an essay
text, SQuAD and HotpotQA files, english_words.json). What it needs that Debian lacks is stubbed on
PYTHONPATH, each stub documented below; nothing of RULER's logic is replaced:
  - tokenizer.py: select_tokenizer() returns a word tokenizer: one token per run of ASCII letters,
    digits and underscores, and one per other character that is not ASCII whitespace (the test
    defines the same one in TypeScript). RULER's nemo/hf/openai tokenizers need NeMo, transformers
    or tiktoken, which are not installable here; a byte tokenizer cannot hold vt's 500-token
    in-context example (the official loop then never ends).
  - wonderwords/: random_word._get_words_from_text_file(name) reads the wonderwordsmodule
    checkout's wonderwords/assets/<name> exactly as wonderwords does (readlines, rstrip each).
  - nltk punkt: an untrained PunktSentenceTokenizer pickled as tokenizers/punkt/english.pickle (the
    trained model is a download); the essay fixture uses plain sentences that split the same way.
  - tqdm.py: passes the sample loop through; with RULER_RESEED=<n> it reseeds `random` and
    `np.random` before each sample of a loop over range(n) with the seed of @loomscope/benchmark-ruler's
    `independent` sampling, so that mode is checked against the official code too.
"""
import argparse, hashlib, json, os, pickle, shutil, subprocess, sys, tempfile

ap = argparse.ArgumentParser()
ap.add_argument("ruler")
ap.add_argument("wonderwords")
ap.add_argument("--seed", type=int, default=42)
opts = ap.parse_args()

work = tempfile.mkdtemp(prefix="ruler-official-")
scripts = os.path.join(work, "scripts")
shutil.copytree(os.path.join(opts.ruler, "scripts"), scripts)
stubs = os.path.join(work, "stubs")
os.makedirs(os.path.join(stubs, "wonderwords"))

with open(os.path.join(stubs, "tokenizer.py"), "w") as f:
    f.write(r'''
import re
WORDS = re.compile(r"[A-Za-z0-9_]+|[^A-Za-z0-9_ \t\n\r\f\v]")
class WordTokenizer:
    def text_to_tokens(self, text):
        return WORDS.findall(text)
def select_tokenizer(tokenizer_type, tokenizer_path):
    return WordTokenizer()
''')
with open(os.path.join(stubs, "wonderwords", "__init__.py"), "w") as f:
    f.write("from . import random_word\n")
with open(os.path.join(stubs, "wonderwords", "random_word.py"), "w") as f:
    f.write(f'''
import os
ASSETS = {json.dumps(os.path.join(os.path.abspath(opts.wonderwords), "wonderwords", "assets"))}
def _get_words_from_text_file(word_file):
    with open(os.path.join(ASSETS, word_file), encoding="utf-8") as f:
        words = f.readlines()
    return [word.rstrip() for word in words]
''')
with open(os.path.join(stubs, "tqdm.py"), "w") as f:
    f.write('''
import hashlib, os, random
import numpy as np
def tqdm(iterable, *args, **kwargs):
    n = int(os.environ.get("RULER_RESEED", "0"))
    items = list(iterable)
    for x in items:
        if n and len(items) == n:
            s = int.from_bytes(hashlib.sha256(f"ruler/{os.environ['RULER_SEED']}/{x}".encode()).digest()[:4], "big")
            random.seed(s)
            np.random.seed(s)
        yield x
''')
from nltk.tokenize.punkt import PunktSentenceTokenizer
os.makedirs(os.path.join(work, "nltk_data", "tokenizers", "punkt", "PY3"))
with open(os.path.join(work, "nltk_data", "tokenizers", "punkt", "PY3", "english.pickle"), "wb") as f:
    pickle.dump(PunktSentenceTokenizer(), f)

# Small data files in the official layout (scripts/data/synthetic/json/).
jdir = os.path.join(scripts, "data", "synthetic", "json")
sentences = ["Startups are hard to build well.", "Most founders learn this the slow way, by doing it.", "The ones who succeed tend to notice what users want.",
             "That is not easy to see from the inside!", "Why would it be?", "Good ideas often look like bad ideas at first.", "Some of the best programmers write essays too."]
essay = "\n\n".join(" ".join(sentences[(i + j) % len(sentences)] for j in range(5)) for i in range(60))
json.dump({"text": essay}, open(os.path.join(jdir, "PaulGrahamEssays.json"), "w"))
squad = {"data": [{"paragraphs": [{"context": f"Article {a} paragraph {p} says the river is {a * 10 + p} miles long.",
                                   "qas": [{"question": f"How long is river {a}-{p}?", "is_impossible": False, "answers": [{"text": f"{a * 10 + p} miles"}]},
                                           {"question": "Unanswerable?", "is_impossible": True, "answers": []}]} for p in range(4)]} for a in range(12)]}
json.dump(squad, open(os.path.join(jdir, "squad.json"), "w"))
hotpot = [{"question": f"Who wrote book {i}?", "answer": f"Author {i}", "context": [[f"Book {i}", [f"Book {i} was written by Author {i}. ", "It sold well."]], [f"Other {i}", ["Unrelated text."]]]} for i in range(40)]
json.dump(hotpot, open(os.path.join(jdir, "hotpotqa.json"), "w"))
json.dump({str(i): f"randle{i}" for i in range(5000)}, open(os.path.join(jdir, "english_words.json"), "w"))

import yaml
sys.path.insert(0, os.path.join(scripts, "data", "synthetic"))
from constants import TASKS  # scripts/data/synthetic/constants.py
sys.path.insert(0, os.path.join(scripts, "data"))
from template import Templates  # scripts/data/template.py
tasks_yaml = yaml.safe_load(open(os.path.join(scripts, "synthetic.yaml")))

def run(task, max_seq_length, num_samples, template_type, reseed):
    config = dict(tasks_yaml[task])
    config.update(TASKS[config["task"]])
    template = Templates[template_type].format(task_template=config["template"]) + config.get("answer_prefix", "")
    save = os.path.join(work, "out", f"{task}-{max_seq_length}-{template_type}-{reseed}")
    argv = [sys.executable, os.path.join(scripts, "data", "synthetic", f"{config['task']}.py"),
            "--save_dir", save, "--save_name", task, "--subset", "validation", "--tokenizer_path", "words", "--tokenizer_type", "hf",
            "--max_seq_length", str(max_seq_length), "--tokens_to_generate", str(config["tokens_to_generate"]),
            "--num_samples", str(num_samples), "--random_seed", str(opts.seed), "--template", template]
    for k, v in config["args"].items():
        argv += [f"--{k}", str(v)]
    env = dict(os.environ, PYTHONPATH=stubs, NLTK_DATA=os.path.join(work, "nltk_data"), RULER_SEED=str(opts.seed), RULER_RESEED=str(num_samples if reseed else 0))
    subprocess.run(argv, check=True, env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = [json.loads(l) for l in open(os.path.join(save, task, "validation.jsonl"))]
    return [{"input": r["input"], "answer_prefix": r["answer_prefix"], "outputs": r["outputs"], "length": r["length"]} for r in rows]

cases = []
plan = [
    # (tasks, max_seq_length, template family, samples)
    (list(tasks_yaml), 4096, "base", 3),
    (["niah_single_1", "niah_single_2", "niah_multikey_2", "niah_multivalue", "vt", "cwe", "fwe", "qa_1"], 8192, "meta-chat", 2),
    (["niah_multikey_3"], 4096, "meta-llama3", 2),
]
for tasks, length, template_type, n in plan:
    for task in tasks:
        for reseed in (False, True):
            cases.append({"task": task, "max_seq_length": length, "template": template_type, "sampling": "independent" if reseed else "stream",
                          "samples": run(task, length, n, template_type, reseed)})

json.dump({
    "ruler": "NVIDIA/RULER scripts/data/synthetic/*.py, run by scripts/make-generator-fixture.py",
    "python": sys.version.split()[0],
    "seed": opts.seed,
    "templates": Templates,
    "data": {"essay": essay, "squad": squad, "hotpotqa": hotpot, "english_words": 5000},
    "cases": cases,
}, sys.stdout, ensure_ascii=False)
shutil.rmtree(work)
