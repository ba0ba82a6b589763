#!/usr/bin/env python3
"""Build data/wordnet-meteor.txt.gz: what nltk's METEOR reads from WordNet 3.0, in compact form.

    /usr/bin/python3 scripts/gen-wordnet.py [/usr/share/wordnet]

Input: the WordNet 3.0 database files (Debian 12: `apt-get install wordnet-base`, 1:3.0-37, which
has the same synset offsets and lemmas as Princeton's WordNet-3.0/dict that nltk_data ships).
The files are parsed the way nltk 3.8's WordNetCorpusReader parses them (index lines that start
with a space are the licence header; lemma names lose a trailing "(a)"/"(p)"/"(ip)" marker).

METEOR only asks, for a lowercased token, which single-word lemma names share a synset with any of
its morphy forms, and whether a ref token is among them. So the file keeps:
  @names      every lemma name without "_" that equals its own lowercase form (an uppercase name
              can never equal a lowercased token), one per line;
  @synsets    per synset (data file + offset), its kept names as base-36 indexes into @names;
  @index P    for every index.P lemma, its synsets in nltk's order as base-36 indexes (possibly
              none: morphy still needs to know the form exists for that part of speech);
  @exc P      the exception lists P.exc, "form<TAB>base base ...".
"""
import gzip
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "wordnet-meteor.txt.gz")
FILEMAP = [("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")]


def b36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def read_synset_names(suffix, offset, cache={}):
    key = (suffix, offset)
    if key in cache:
        return cache[key]
    with open(os.path.join(ROOT, "data." + suffix), "rb") as fp:
        fp.seek(offset)
        line = fp.readline().decode("utf-8")
    assert int(line[:8]) == offset, (suffix, offset)
    tokens = line.split()
    n_lemmas = int(tokens[3], 16)
    names = []
    for i in range(n_lemmas):
        name = tokens[4 + 2 * i]
        name = re.match(r"(.*?)(\(.*\))?$", name).group(1)
        assert name.isascii(), name
        names.append(name)
    cache[key] = names
    return names


def main():
    name_ids = {}
    synset_ids = {}
    synsets = []
    index = {}
    for pos, suffix in FILEMAP:
        rows = []
        with open(os.path.join(ROOT, "index." + suffix), encoding="utf-8") as fp:
            for line in fp:
                if line.startswith(" "):
                    continue
                t = line.split()
                lemma, p, n_synsets, n_pointers = t[0], t[1], int(t[2]), int(t[3])
                assert p == pos
                rest = t[4 + n_pointers:]
                assert int(rest[0]) == n_synsets
                offsets = [int(x) for x in rest[2:2 + n_synsets]]
                ids = []
                for off in offsets:
                    key = (suffix, off)
                    if key not in synset_ids:
                        kept = []
                        for name in read_synset_names(suffix, off):
                            if "_" in name or name != name.lower():
                                continue
                            if name not in name_ids:
                                name_ids[name] = len(name_ids)
                            kept.append(name_ids[name])
                        synset_ids[key] = len(synsets)
                        synsets.append(kept)
                    ids.append(synset_ids[key])
                rows.append((lemma, ids))
        index[pos] = rows
    # Synsets that keep no name contribute nothing: map them to no id.
    remap = {}
    kept_synsets = []
    for i, names in enumerate(synsets):
        if names:
            remap[i] = len(kept_synsets)
            kept_synsets.append(names)
    lines = ["# WordNet 3.0 (Princeton University; licence in data/WORDNET-LICENSE) for nltk METEOR; made by scripts/gen-wordnet.py"]
    lines.append("@names")
    lines.extend(sorted(name_ids, key=name_ids.get))
    lines.append("@synsets")
    lines.extend(",".join(b36(n) for n in s) for s in kept_synsets)
    for pos, _ in FILEMAP:
        lines.append("@index " + pos)
        for lemma, ids in index[pos]:
            lines.append(lemma + "\t" + ",".join(b36(remap[i]) for i in ids if i in remap))
    for pos, suffix in FILEMAP:
        lines.append("@exc " + pos)
        with open(os.path.join(ROOT, suffix + ".exc"), encoding="utf-8") as fp:
            for line in fp:
                terms = line.split()
                lines.append(terms[0] + "\t" + " ".join(terms[1:]))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with open(OUT, "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))
    print("names", len(name_ids), "synsets", len(kept_synsets), "bytes", len(data), "->", os.path.getsize(OUT))


main()
