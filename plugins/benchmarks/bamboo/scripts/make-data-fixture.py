#!/usr/bin/env python3
"""Small data fixture in BAMBOO's official format (for conformance and end-to-end tests).

    /usr/bin/python3 scripts/make-data-fixture.py <BAMBOO checkout> [--rows 2] [--out test/fixtures/data]

The first rows of every datasets/<task>_4k.jsonl, and of the 16k files present, with long text
fields cut to their first 400 characters (a private_eval prompt to its last 500, where the code to complete is) (the fields and their types are the official ones), and
real_all_eval_v3.jsonl.gz reduced to the problems of the private_eval rows kept.
"""
import argparse
import gzip
import json
import os

ap = argparse.ArgumentParser()
ap.add_argument("bamboo")
ap.add_argument("--rows", type=int, default=2)
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "data"))
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)


def cut(v):
    if isinstance(v, str):
        return v[:400]
    if isinstance(v, list):
        return [cut(x) for x in v]
    return v


ids = set()
for name in sorted(os.listdir(os.path.join(args.bamboo, "datasets"))):
    if not name.endswith(".jsonl"):
        continue
    path = os.path.join(args.bamboo, "datasets", name)
    if os.path.getsize(path) == 0:
        continue
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if len(rows) == args.rows:
                break
            d = json.loads(line)
            # A private_eval prompt ends with the code to complete: keep its end.
            rows.append({k: (v if k in ("task_id", "entry_point", "test", "canonical_solution") else v[-500:] if k == "prompt" else cut(v)) for k, v in d.items()})
    ids.update(r["task_id"] for r in rows if "task_id" in r)
    with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
with gzip.open(os.path.join(args.bamboo, "datasets", "real_all_eval_v3.jsonl.gz"), "rt") as f:
    problems = [l for l in f if l.strip() and json.loads(l)["task_id"] in ids]
with gzip.GzipFile(os.path.join(args.out, "real_all_eval_v3.jsonl.gz"), "wb", mtime=0) as f:
    f.write("".join(problems).encode("utf-8"))
print(sorted(os.listdir(args.out)), sorted(ids))
