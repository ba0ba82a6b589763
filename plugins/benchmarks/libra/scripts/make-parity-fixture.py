#!/usr/bin/env python3
"""Generate LIBRA parity fixtures by running the official scorer.

    /usr/bin/python3 scripts/make-parity-fixture.py /path/to/LIBRA --seed 1 --out test/fixtures

/path/to/LIBRA: a checkout of github.com/ai-forever/LIBRA (eval.py, evaluation/metrics.py,
configs/datasets_config.json). Needs numpy (Debian 12: python3-numpy).

Writes under --out:
  parity.json                 per-sample inputs and the score eval.py's loop gives each (metric of the
                              dataset, max over positive_outputs, negative_outputs penalty), computed by
                              calling evaluation/metrics.py, plus the results dict eval.py saved
  predictions/<name>.json     the predictions file in the official format (what predict.py writes)
  results/<name>.json         what `python eval.py -p predictions/<name>.json` wrote, byte for byte
The official code is only imported / run from the given path, never copied.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

# Predictions chosen for the paths the metrics treat specially: substring containment without any
# normalisation (em), ASCII-only punctuation removal and str.lower on Cyrillic (f1), Unicode \d runs
# (count_score), the negative_outputs penalty, empty and whitespace answers.
RU_WORDS = ["Москва", "москва", "МОСКВА", "Ёлка", "ёлка", "елка", "«Война и мир»", "Война и мир", "война, и мир!",
            "Лев Толстой", "Толстой Лев", "л. н. толстой", "Пётр", "Петр", "ПЁТР", "Да", "да", "ДА", "Нет", "нет",
            "Да, была.", "Нет, не было.", "Да и нет", "Ответ: Да", "Ответ:Нет", "Не знаю", "—", "…", "Правда [в реальном мире: Ложь]",
            "Ложь [в реальном мире: Правда]", "Правда", "Ложь", "А", "Б", "В", "Г", "a", "A", "Б)", "Ответ: Б", "(В)"]
NUM_PREDS = ["12", "12.", "Ответ: 12", "двенадцать", "12 параграфов", "В тексте 12 уникальных параграфов из 24.",
             "١٢", "１２", "12 12 12", "012", "12,5", "1 2", "11 12 13", "ответ 3", "", " ", "Параграфов: 7", "7", "77",
             "Их семь (7).", "²", "12-13", "12\n13"]
EN_PREDS = ["The answer is 42", "42", "forty-two", "hello world", "Hello, World!", "n/a"]


def choose(rng, xs):
    return xs[rng.randrange(len(xs))]


def build_predictions(rng, config):
    preds = {}
    cases = []
    datasets = list(config.keys())
    rng.shuffle(datasets)
    # Drop two datasets entirely (total_score averages only the datasets present).
    for dataset in datasets[:-2]:
        params = config[dataset]
        lengths = list(params["lengths"])
        # Leave one configured length out when there are several (eval.py scores it 0), and once
        # add a length the config does not know (eval.py leaves its list of scores in the output).
        present = lengths[:-1] if len(lengths) > 2 and rng.random() < 0.5 else lengths
        extra = ["256k"] if rng.random() < 0.15 else []
        rows = []
        for length in present + extra:
            for _ in range(rng.randint(1, 4)):
                rows.append(make_row(rng, dataset, params["metric"], length))
        rng.shuffle(rows)
        preds[dataset] = rows
        for r in rows:
            cases.append({"dataset": dataset, "metric": params["metric"], **r})
    return preds, cases


def make_row(rng, dataset, metric, length):
    negatives = []
    if metric == "count_score":
        positives = [choose(rng, ["12", "7", "3", "24"])]
        answer = choose(rng, NUM_PREDS)
        if rng.random() < 0.3:
            answer = answer.replace("12", positives[0])
    elif metric == "f1":
        gold = choose(rng, ["Лев Толстой", "Война и мир", "ёлка в лесу", "Да", "BERT и ELMo", "нет ответа", "12 слоёв"])
        positives = [gold] if rng.random() < 0.7 else [gold, choose(rng, RU_WORDS)]
        answer = choose(rng, [gold, gold.upper(), gold + ".", "Ответ: " + gold, choose(rng, RU_WORDS), "", "  ",
                              " ".join(reversed(gold.split())), gold.replace("ё", "е"), choose(rng, EN_PREDS),
                              gold + " " + choose(rng, RU_WORDS) * rng.randint(1, 3)])
    else:
        if dataset in ("passkey", "passkey_with_librusec"):
            key = str(rng.randint(10000, 99999))
            positives = [key]
            answer = choose(rng, [key, "Ключ доступа: " + key, key[:-1], "", key + key, "ключ " + key[::-1]])
        elif dataset == "matreshka_yes_no":
            positives = [choose(rng, ["Да", "Нет"])]
            negatives = ["Нет" if positives[0] == "Да" else "Да"]
            answer = choose(rng, RU_WORDS)
        elif dataset == "ru_sci_fi":
            opts = ["Ложь [в реальном мире: Ложь]", "Правда [в реальном мире: Ложь]",
                    "Правда [в реальном мире: Правда]", "Ложь [в реальном мире: Правда]"]
            positives = [choose(rng, opts)]
            negatives = [o for o in opts if o != positives[0]] if rng.random() < 0.5 else []
            answer = choose(rng, opts + ["Правда", "Ложь", positives[0] + " " + choose(rng, opts), ""])
        elif dataset == "ru_tpo":
            positives = [choose(rng, ["А", "Б", "В", "Г"])]
            negatives = [x for x in ["А", "Б", "В", "Г"] if x != positives[0]][: rng.randint(0, 3)]
            answer = choose(rng, ["А", "Б", "В", "Г", "Б)", "Ответ: Б", "(В)", "АБ", "a", "", "Г и А"])
        else:
            positives = [choose(rng, RU_WORDS)]
            if rng.random() < 0.3:
                positives.append(choose(rng, RU_WORDS))
            if rng.random() < 0.2:
                negatives = [choose(rng, RU_WORDS) for _ in range(rng.randint(1, 3))]
            answer = choose(rng, RU_WORDS + ["", " ", positives[0] + "!", "Ответ: " + positives[0], positives[0].lower()])
    return {"length": length, "model_answer": answer, "positive_outputs": positives, "negative_outputs": negatives}


def per_sample(metrics, name_to_metric, case):
    fn = name_to_metric[case["metric"]]
    scores = [fn(str(case["model_answer"]), str(p)) for p in case["positive_outputs"]]
    score = max(scores)
    if case["negative_outputs"]:
        n = sum(1 for neg in case["negative_outputs"] if neg in case["model_answer"])
        if n == len(case["negative_outputs"]):
            score = 0.0
        else:
            score -= (1.0 / len(case["negative_outputs"])) * n
            if score < 0:
                score = 0.0
    return score


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("libra", help="checkout of ai-forever/LIBRA")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures"))
    ap.add_argument("--name", default=None, help="predictions file name (default parity-seed<N>.json)")
    args = ap.parse_args()
    official = os.path.abspath(args.libra)
    sys.path.insert(0, official)
    from evaluation import metrics  # noqa: E402  (official evaluation/metrics.py)

    name_to_metric = {"em": metrics.exact_match_score, "count_score": metrics.count_score, "f1": metrics.qa_f1_score}
    config = json.load(open(os.path.join(official, "configs", "datasets_config.json"), encoding="utf-8"))
    rng = random.Random(args.seed)
    preds, cases = build_predictions(rng, config)
    for c in cases:
        s = per_sample(metrics, name_to_metric, c)
        c["expected"] = {"score": s, "int": isinstance(s, int)}

    name = args.name or "parity-seed%d.json" % args.seed
    work = tempfile.mkdtemp(prefix="libra-eval-")
    try:
        for entry in ("eval.py", "evaluation", "configs"):
            os.symlink(os.path.join(official, entry), os.path.join(work, entry))
        os.makedirs(os.path.join(work, "predictions"))
        with open(os.path.join(work, "predictions", name), "w") as f:
            json.dump(preds, f)  # as predict.py writes it
        run = subprocess.run([sys.executable, "eval.py", "-p", "predictions/" + name], cwd=work,
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(run.stderr)
        os.makedirs(os.path.join(args.out, "predictions"), exist_ok=True)
        os.makedirs(os.path.join(args.out, "results"), exist_ok=True)
        shutil.copyfile(os.path.join(work, "predictions", name), os.path.join(args.out, "predictions", name))
        shutil.copyfile(os.path.join(work, "results", name), os.path.join(args.out, "results", name))
        with open(os.path.join(work, "results", name)) as f:
            results = json.load(f)
    finally:
        shutil.rmtree(work)
    out = {"seed": args.seed, "predictions": "predictions/" + name, "cases": cases, "results": results}
    with open(os.path.join(args.out, name.replace(".json", "") + ".cases.json"), "w") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    print("%d cases, %d datasets" % (len(cases), len(preds)))


if __name__ == "__main__":
    main()
