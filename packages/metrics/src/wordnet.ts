/**
 * The part of nltk 3.8's WordNet 3.0 reader that METEOR uses: `wordnet.synsets(word)` reduced to
 * the single-word, lowercase lemma names of those synsets, with nltk's `_morphy` (exception lists,
 * then the detachment rules applied until some form is in the index) for each part of speech in
 * nltk's POS_LIST order (n, v, a, r). Data: data/wordnet-meteor.txt.gz, built by
 * scripts/gen-wordnet.py from the WordNet 3.0 database files (licence: data/WORDNET-LICENSE).
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { pyLower } from "./unicode.js";

type Pos = "n" | "v" | "a" | "r";
const POS_LIST: readonly Pos[] = ["n", "v", "a", "r"];

// nltk WordNetCorpusReader.MORPHOLOGICAL_SUBSTITUTIONS, in order.
const SUBSTITUTIONS: Readonly<Record<Pos, ReadonlyArray<readonly [string, string]>>> = {
  n: [
    ["s", ""],
    ["ses", "s"],
    ["ves", "f"],
    ["xes", "x"],
    ["zes", "z"],
    ["ches", "ch"],
    ["shes", "sh"],
    ["men", "man"],
    ["ies", "y"],
  ],
  v: [
    ["s", ""],
    ["ies", "y"],
    ["es", "e"],
    ["es", ""],
    ["ed", "e"],
    ["ed", ""],
    ["ing", "e"],
    ["ing", ""],
  ],
  a: [
    ["er", ""],
    ["est", ""],
    ["er", "e"],
    ["est", "e"],
  ],
  r: [],
};

interface WordNetData {
  names: string[];
  synsets: number[][];
  index: Record<Pos, Map<string, number[]>>;
  exceptions: Record<Pos, Map<string, string[]>>;
}

let loaded: WordNetData | undefined;

function load(): WordNetData {
  if (loaded) return loaded;
  const text = gunzipSync(readFileSync(new URL("../data/wordnet-meteor.txt.gz", import.meta.url))).toString("utf8");
  const data: WordNetData = {
    names: [],
    synsets: [],
    index: { n: new Map(), v: new Map(), a: new Map(), r: new Map() },
    exceptions: { n: new Map(), v: new Map(), a: new Map(), r: new Map() },
  };
  const ids = (s: string): number[] => (s === "" ? [] : s.split(",").map((x) => parseInt(x, 36)));
  let section = "";
  let pos: Pos = "n";
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("@")) {
      const [name, p] = line.slice(1).split(" ");
      section = name as string;
      if (p) pos = p as Pos;
      continue;
    }
    if (section === "names") data.names.push(line);
    else if (section === "synsets") data.synsets.push(ids(line));
    else {
      const tab = line.indexOf("\t");
      const key = line.slice(0, tab);
      const value = line.slice(tab + 1);
      if (section === "index") data.index[pos].set(key, ids(value));
      else data.exceptions[pos].set(key, value === "" ? [] : value.split(" "));
    }
  }
  loaded = data;
  return data;
}

/** Python `s.endswith(suffix)` then `s[:-len(suffix)] + new`, by code point. */
function applyRules(forms: Iterable<string>, pos: Pos): string[] {
  const out: string[] = [];
  for (const form of forms) {
    for (const [old, replacement] of SUBSTITUTIONS[pos]) {
      if (form.endsWith(old)) out.push(form.slice(0, form.length - old.length) + replacement);
    }
  }
  return out;
}

/** nltk `_morphy(form, pos)`: the index forms for `form`, in nltk's order. */
export function morphy(form: string, pos: Pos): string[] {
  const { index, exceptions } = load();
  const idx = index[pos];
  const filter = (forms: readonly string[]): string[] => {
    const seen = new Set<string>();
    const result: string[] = [];
    for (const f of forms) {
      if (idx.has(f) && !seen.has(f)) {
        result.push(f);
        seen.add(f);
      }
    }
    return result;
  };
  const exc = exceptions[pos].get(form);
  if (exc !== undefined) return filter([form, ...exc]);
  // The suffixes are ASCII, so UTF-16 slicing equals Python's code-point slicing here.
  let forms = applyRules([form], pos);
  let results = filter([form, ...forms]);
  if (results.length > 0) return results;
  while (forms.length > 0) {
    // Duplicates only repeat work: the set of forms at each level, hence the answer, is the same.
    forms = applyRules(new Set(forms), pos);
    results = filter(forms);
    if (results.length > 0) return results;
  }
  return [];
}

/**
 * The set METEOR's `_enum_wordnetsyn_match` builds for a hypothesis word, less the names that can
 * never equal a lowercased token: lemma names without "_" of every synset of
 * `wordnet.synsets(word)`, plus the word itself.
 */
export function wordnetSynonyms(word: string): Set<string> {
  const data = load();
  const lemma = pyLower(word);
  const out = new Set<string>();
  for (const pos of POS_LIST) {
    for (const form of morphy(lemma, pos)) {
      for (const synset of data.index[pos].get(form) ?? []) {
        for (const name of data.synsets[synset] as number[]) out.add(data.names[name] as string);
      }
    }
  }
  out.add(word);
  return out;
}
