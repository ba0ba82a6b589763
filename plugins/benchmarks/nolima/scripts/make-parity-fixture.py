#!/usr/bin/env python3
"""Make NoLiMa parity fixtures by running the official code.

    cd plugins/benchmarks/nolima
    /usr/bin/python3 scripts/make-parity-fixture.py --nolima /path/to/NoLiMa [--seed 1]

--nolima: a checkout of github.com/adobe-research/NoLiMa. Its evaluation/run_tests.py is run as a
          script (jsonargparse is given the run config), building tests from a needle set and running
          evaluation/async_evaluate.py's NoLiMa_Tester with data/book_haystack.py, exactly as
          run_tests.sh does; only the API connector is a stand-in: a small regex tokenizer for
          encode/decode (the same rule as test/toy-tokenizer.ts) and scripted responses. The
          gather_results.ipynb cells are then executed on the results directories.
--seed:   seed of the synthetic books, needle set arguments and scripted responses.

Run from the package folder: the results record paths relative to it, as the notebook's
`result_name` does. os.listdir / os.walk are sorted (Python lists in file-system order; the
plugin takes sorted order), and time.time ticks a second per call (eval_name holds the time, and
two books tested within one second would share a file name).

Writes under test/fixtures/: data/books/, data/needlesets/, runs/<needle set>/CL<length>/<test>/<eval>.json
(the tester's output files, each response's prompt recorded beside it), gathered/ (the notebook's
gathered_results.csv per results directory, or the exception it raised), evaluate.json
(_evaluate_response on responses × gold answers × the four metrics).
"""
import argparse
import asyncio
import hashlib
import io
import json
import os
import random
import re
import runpy
import shutil
import sys
import tempfile
import types

TOKEN_RE = re.compile(r"[.!?,;:]\n+|\n+| ?[A-Za-z0-9_]+| ?[^\sA-Za-z0-9_]|[ \t]+|\s")
FIX = os.path.join("test", "fixtures")
WORDS = ("the a of and to in was he it that his with for as had on at by her which from she this but not they were be "
         "river lamp window garden merchant harbor winter letter morning captain silver forest doctor quiet bright "
         "carriage evening sister ledger candle meadow").split()


def encode(text):
    toks = TOKEN_RE.findall(text)
    assert "".join(toks) == text
    return toks


def decode(tokens):
    return "".join(tokens)


def make_book(rng, lines):
    out = []
    for _ in range(lines):
        n = rng.randint(3, 14)
        words = [rng.choice(WORDS) for _ in range(n)]
        words[0] = words[0].capitalize()
        line = " ".join(words)
        r = rng.random()
        line += "." if r < 0.6 else ("!" if r < 0.7 else ("," if r < 0.8 else ""))
        out.append(line)
        if rng.random() < 0.15:
            out.append("")
    return "\n".join(out) + "\n"


class FakeConnector:
    """Stand-in for async_api_connector.APIConnector: regex tokenizer, scripted responses."""
    SYSTEM_PROMPT = "You are a helpful assistant"
    rng = random.Random(0)
    names = []

    def __init__(self, **kwargs):
        self.model = kwargs.get("model")

    def encode(self, text):
        return encode(text)

    def decode(self, tokens):
        return decode(tokens)

    def token_count(self, text):
        return len(encode(text))

    async def generate_response(self, system_prompt, user_prompt, max_tokens=100, temperature=0.0, top_p=1.0,
                                add_default_system_prompt=True):
        if add_default_system_prompt and self.SYSTEM_PROMPT != "":
            system = self.SYSTEM_PROMPT
        elif system_prompt != "":
            system = system_prompt
        else:
            system = None
        h = int(hashlib.sha256(user_prompt.encode()).hexdigest(), 16)
        pick = FakeConnector.names[h % len(FakeConnector.names)]
        style = (h >> 8) % 7
        response = [pick, pick.lower(), f"The answer is {pick}.", f"I think\nit is {pick}", "I don't know.",
                    f"{pick} (not sure)", f"  {pick}  "][style]
        return {"response": response, "prompt_tokens": len(encode(user_prompt)), "completion_tokens": 1 + style,
                "total_tokens": len(encode(user_prompt)) + 1 + style, "finish_reason": "stop",
                "sent_system_prompt": system, "sent_user_prompt": user_prompt}


def install_stubs(nolima):
    fake_conn = types.ModuleType("async_api_connector")
    fake_conn.APIConnector = FakeConnector
    sys.modules["async_api_connector"] = fake_conn
    tq = types.ModuleType("tqdm")
    tq.tqdm = lambda it, **k: it
    sys.modules["tqdm"] = tq
    ja = types.ModuleType("jsonargparse")

    class ArgumentParser:
        config = {}

        def __init__(self, *a, **k):
            pass

        def add_argument(self, *a, **k):
            pass

        def parse_args(self):
            return types.SimpleNamespace(**ArgumentParser.config)
    ja.ArgumentParser = ArgumentParser
    ja.ActionConfigFile = None
    sys.modules["jsonargparse"] = ja
    sys.path.insert(0, os.path.join(nolima, "evaluation"))
    sys.path.insert(0, nolima)
    # A fresh event loop for asyncio.get_event_loop() in evaluate().
    asyncio.set_event_loop(asyncio.new_event_loop())
    return ArgumentParser


def fake_clock():
    """eval_name carries int(time.time()): a clock that ticks once per call keeps runs apart (in real
    runs, a test takes longer than a second)."""
    import time
    state = {"t": 1700000000}

    def now():
        state["t"] += 1
        return float(state["t"])
    time.time = now


def sorted_os():
    real_listdir, real_walk = os.listdir, os.walk

    def listdir(path="."):
        return sorted(real_listdir(path))

    def walk(top, *a, **k):
        for root, dirs, files in real_walk(top, *a, **k):
            dirs.sort()
            yield root, dirs, sorted(files)
    os.listdir = listdir
    os.walk = walk


def notebook_cells(nolima):
    nb = json.load(open(os.path.join(nolima, "evaluation", "gather_results.ipynb")))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nolima", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not os.path.exists(os.path.join("src", "haystack.ts")):
        raise SystemExit("run from plugins/benchmarks/nolima")
    rng = random.Random(args.seed)
    nolima = os.path.abspath(args.nolima)
    Parser = install_stubs(nolima)
    sorted_os()
    fake_clock()

    for d in ["data/books", "data/needlesets", "runs", "gathered"]:
        shutil.rmtree(os.path.join(FIX, d), ignore_errors=True)
        os.makedirs(os.path.join(FIX, d))
    for b in (1, 2):
        with open(os.path.join(FIX, "data", "books", f"rand_book_{b}.txt"), "w") as f:
            f.write(make_book(rng, 420))

    chars = ["Yuki", "Stuart", "Katie", "Veronica", "Gary", "Megan", "Calvin"]
    places = [("Kiasma museum", "Helsinki", "Finland"), ("Semper Opera House", "Dresden", "Saxony"),
              ("Lake Como", "Italy", "Lombardy"), ("Atomium", "Brussels", "Belgium")]
    rng.shuffle(places)
    sets = {
        "needle_set": [
            {"id": "0401", "reasoning_type": "world_knowledge", "system_prompt": "Row prompt (never sent).",
             "needle": "Actually, {CHAR} lives next to the {1}.",
             "questions": {"onehop": "Which character has been to {2}?", "twohop": "Which character has been to {3}?"},
             "character_set": chars,
             "tests": {"T01": {"input_args": list(places[0])}, "T02": {"input_args": list(places[1])}}},
            {"id": "0502", "system_prompt": "",
             "needle": "The secret number of the {1} is {2}.",
             "questions": {"onehop": "Which number belongs to the {1}?", "direct": "What is the secret number of the {1}?"},
             "tests": {"T01": {"input_args": ["lighthouse", "4417"], "gold_answers": ["4417", "four thousand"]},
                       "T02": {"input_args": ["bridge", "91"], "gold_answers": "91"}},
             "task_template": "Read this:\n{haystack}\nNow answer: {question}"},
        ],
        "needle_set_w_Distractor": [
            {"id": "0603", "system_prompt": "", "needle": "Actually, {CHAR} swam in the {1}.",
             "distractors": {"onehop": "Actually, Bob walked past the {1} once."},
             "questions": {"onehop": "Which character has seen {2}?"}, "character_set": chars,
             "tests": {"T01": {"input_args": list(places[2][:2])}}},
        ],
    }
    FakeConnector.names = chars + ["4417", "91", "Bob", "nobody"]
    model_dir = tempfile.mkdtemp(prefix="nolima-models-")
    with open(os.path.join(model_dir, "fake_model.json"), "w") as f:
        json.dump({"model": "fake-model", "api_key": "x", "api_url": "x", "api_provider": "fake", "max_tokens": 192,
                   "temperature": 0.0, "top_p": 1.0}, f)
    for name, rows in sets.items():
        path = os.path.join(FIX, "data", "needlesets", name + ".json")
        with open(path, "w") as f:
            json.dump(rows, f, indent=1)
        for length in (250, 600):
            Parser.config = {
                "model_name": "fake_model", "model_configs_dir": model_dir, "needle_set_path": path,
                "haystack_dir": os.path.join(FIX, "data", "books"), "task_template": None, "use_default_system_prompt": True,
                "parent_results_dir": os.path.join(FIX, "runs", name, f"CL{length}"), "context_length": length,
                "document_depth_percent_min": 0.0, "document_depth_percent_max": 100.0,
                "document_depth_percent_intervals": 6, "shift": 0, "static_depth": -1, "metric": "contains",
                "log_placements_dir": "", "base_seed": 42, "prevent_duplicate_tests": True,
            }
            out = io.StringIO()
            real = sys.stdout
            sys.stdout = out
            try:
                runpy.run_path(os.path.join(nolima, "evaluation", "run_tests.py"), run_name="__main__")
            finally:
                sys.stdout = real

    # gather_results.ipynb on each results directory (and on one holding both: DictWriter fails).
    cells = notebook_cells(nolima)
    for label, results_dir in [("needle_set", "test/fixtures/runs/needle_set/"),
                               ("needle_set_w_Distractor", "test/fixtures/runs/needle_set_w_Distractor/"),
                               ("mixed", "test/fixtures/runs/")]:
        ns = {}
        exec(cells[0], ns)
        exec(cells[1], ns)
        ns["model_dirs"] = [results_dir]
        buf = io.StringIO()
        real = sys.stdout
        sys.stdout = buf
        cwd = os.getcwd()
        tmp = tempfile.mkdtemp(prefix="nolima-gather-")
        try:
            exec(cells[3].replace("gather_results(model_dir)", "gather_results(model_dir)"), ns)
            os.chdir(tmp)
            exec(cells[4], ns)
            os.chdir(cwd)
            shutil.copy(os.path.join(tmp, "gathered_results.csv"), os.path.join(FIX, "gathered", f"{label}.csv"))
        except Exception as e:  # noqa: BLE001
            os.chdir(cwd)
            with open(os.path.join(FIX, "gathered", f"{label}.error.json"), "w") as f:
                json.dump({"error": type(e).__name__}, f)
                f.write("\n")
        finally:
            sys.stdout = real
            shutil.rmtree(tmp, ignore_errors=True)

    # _evaluate_response on responses x gold answers x metrics.
    ae = sys.modules.get("async_evaluate") or __import__("async_evaluate")
    responses = ["Yuki", "yuki", " Yuki ", "Yuki.", "The answer is Yuki.", "I think\nit is Yuki", "Yuki\nor Gary", "Gary",
                 "", "   ", "\n", "Yukiko", "Y", "4417", "4,417", "It is 4417\n", "91", "9", "nineteen", "Bob",
                 "Katie and Yuki", "KATIE", "Ka tie", "Veronica\n\n", "\u00a0Yuki\u3000", "Yuki\r\n"]
    golds = [["Yuki"], ["Yuki", "Gary"], ["4417", "four thousand"], "91", "Yuki", "", [], ["Katie"], [""]]
    cases = []
    for metric in ["EM", "contains", "lastline_EM", "lastline_contains"]:
        for g in golds:
            for r in responses:
                fake = types.SimpleNamespace(metric=metric, gold_answers=g)
                cases.append({"response": r, "gold_answers": g, "metric": metric,
                              "expected": ae.NoLiMa_Tester._evaluate_response(fake, r, g)})
    errors = []
    for metric in ["EM", "contains", "bogus"]:
        fake = types.SimpleNamespace(metric=metric, gold_answers=["Yuki"])
        for r in [None, "Yuki"]:
            try:
                ae.NoLiMa_Tester._evaluate_response(fake, r, ["Yuki"])
                continue
            except Exception as e:  # noqa: BLE001
                errors.append({"response": r, "metric": metric, "error": type(e).__name__})
    with open(os.path.join(FIX, "evaluate.json"), "w") as f:
        json.dump({"cases": cases, "errors": errors}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    shutil.rmtree(model_dir)
    print(len(cases), "evaluate cases")


if __name__ == "__main__":
    main()
