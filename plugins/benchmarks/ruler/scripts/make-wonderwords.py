#!/usr/bin/env python3
"""Writes data/wonderwords.json: wonderwords' noun, adjective and verb lists in the compact form
the RULER plugin ships (so NIAH keys and cwe words need no download).

    /usr/bin/python3 scripts/make-wonderwords.py <wonderwordsmodule checkout> <commit> > data/wonderwords.json

RULER reads the lists with `wonderwords.random_word._get_words_from_text_file(name)` (each line
`rstrip()`ed) and only ever uses them as sets: niah.py draws keys from
`sorted(set(f"{adj}-{noun}" for adj in adjs for noun in nouns))` and common_words_extraction.py words
from `sorted(set(nouns + adjs + verbs))`. So each list is stored sorted and de-duplicated, and the
adjective-noun list (millions of pairs) as runs over those two lists: the sorted pair list is the
concatenation of runs [adjective index, first noun index, count] (pairs of one adjective with
consecutive nouns). The runs are computed from Python's own sort (a k-way merge of the per-adjective
blocks, duplicates dropped) and checked by rebuilding the whole list; sha256 digests of the lists let
the TypeScript side check its reading.
"""
import hashlib, heapq, json, os, sys

root, commit = sys.argv[1], sys.argv[2]
assets = os.path.join(root, "wonderwords", "assets")

def words(name):
    # wonderwords.random_word._get_words_from_text_file: readlines(), each rstrip()ed.
    with open(os.path.join(assets, name), encoding="utf-8") as f:
        return [w.rstrip() for w in f.readlines()]

nouns, adjs, verbs = words("nounlist.txt"), words("adjectivelist.txt"), words("verblist.txt")
N, A, V = sorted(set(nouns)), sorted(set(adjs)), sorted(set(verbs))
for w in N + A + V:
    assert all(ord(c) < 0x10000 for c in w), w  # BMP only: UTF-16 order equals code point order

def block(ai):
    a = A[ai]
    for ni, n in enumerate(N):
        yield (f"{a}-{n}", ai, ni)

runs, count, last = [], 0, None
digest = hashlib.sha256()
for text, ai, ni in heapq.merge(*(block(ai) for ai in range(len(A)))):
    if text == last:
        continue  # set(): a pair spelled twice (hyphenated words) counts once
    last = text
    digest.update((text + "\n").encode())
    count += 1
    if runs and runs[-1][0] == ai and runs[-1][1] + runs[-1][2] == ni:
        runs[-1][2] += 1
    else:
        runs.append([ai, ni, 1])

# Check: the runs rebuild sorted(set(...)) exactly (streamed, to keep memory small).
check = hashlib.sha256()
for ai, ni, k in runs:
    for j in range(k):
        check.update((f"{A[ai]}-{N[ni + j]}\n").encode())
assert check.hexdigest() == digest.hexdigest()
expected = sorted(set(f"{a}-{n}" for a in adjs for n in nouns)) if os.environ.get("FULL_CHECK") else None
if expected is not None:
    assert len(expected) == count and hashlib.sha256("".join(w + "\n" for w in expected).encode()).hexdigest() == digest.hexdigest()

cwe = sorted(set(nouns + adjs + verbs))
json.dump({
    "source": {
        "repository": "https://github.com/mrmaxguns/wonderwordsmodule",
        "commit": commit,
        "files": ["wonderwords/assets/nounlist.txt", "wonderwords/assets/adjectivelist.txt", "wonderwords/assets/verblist.txt"],
        "license": "MIT License, Copyright (c) 2020 Maxim Rebguns (data/LICENSE-wonderwords)",
    },
    "nouns": N,
    "adjectives": A,
    "verbs": V,
    "pairs": {"count": count, "sha256": digest.hexdigest(), "runs": runs},
    "cwe": {"count": len(cwe), "sha256": hashlib.sha256("".join(w + "\n" for w in cwe).encode()).hexdigest()},
}, sys.stdout, ensure_ascii=False, separators=(",", ":"))
sys.stdout.write("\n")
