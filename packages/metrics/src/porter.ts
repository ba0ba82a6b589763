/**
 * nltk 3.8's `PorterStemmer` (nltk/stem/porter.py) in its three modes, NLTK_EXTENSIONS the
 * default. Words are handled as Python handles str: by code point, lowercased with `str.lower`.
 * The rule tables and their order, the irregular-forms pool and every mode switch are nltk's;
 * quirks kept: `_apply_rule_list` also treats the literal suffix "*d", the pool is looked up with
 * the word as given but answered with its lowercase form, the length gate uses the word as given.
 */
import { pyLower } from "./unicode.js";

export type PorterMode = "NLTK_EXTENSIONS" | "MARTIN_EXTENSIONS" | "ORIGINAL_ALGORITHM";

type Word = readonly string[]; // code points
type Condition = ((stem: Word) => boolean) | null;
type Rule = readonly [suffix: string, replacement: string, condition: Condition];

const IRREGULAR_FORMS: Readonly<Record<string, readonly string[]>> = {
  sky: ["sky", "skies"],
  die: ["dying"],
  lie: ["lying"],
  tie: ["tying"],
  news: ["news"],
  inning: ["innings", "inning"],
  outing: ["outings", "outing"],
  canning: ["cannings", "canning"],
  howe: ["howe"],
  proceed: ["proceed"],
  exceed: ["exceed"],
  succeed: ["succeed"],
};

const VOWELS = new Set(["a", "e", "i", "o", "u"]);

const chars = (s: string): string[] => Array.from(s);
const join = (w: Word): string => w.join("");

function endsWith(word: Word, suffix: string): boolean {
  const s = chars(suffix);
  if (s.length > word.length) return false;
  for (let i = 0; i < s.length; i++) if (word[word.length - s.length + i] !== s[i]) return false;
  return true;
}

function dropSuffix(word: Word, suffix: string): Word {
  const n = chars(suffix).length;
  return n === 0 ? word : word.slice(0, word.length - n);
}

export class PorterStemmer {
  private readonly pool = new Map<string, string>();

  constructor(readonly mode: PorterMode = "NLTK_EXTENSIONS") {
    if (mode === "NLTK_EXTENSIONS") {
      for (const [key, forms] of Object.entries(IRREGULAR_FORMS)) for (const f of forms) this.pool.set(f, key);
    }
  }

  private isConsonant(word: Word, i: number): boolean {
    const c = word[i] as string;
    if (VOWELS.has(c)) return false;
    if (c === "y") return i === 0 ? true : !this.isConsonant(word, i - 1);
    return true;
  }

  private measure(stem: Word): number {
    let count = 0;
    for (let i = 0; i + 1 < stem.length; i++) if (!this.isConsonant(stem, i) && this.isConsonant(stem, i + 1)) count++;
    return count;
  }

  private hasPositiveMeasure = (stem: Word): boolean => this.measure(stem) > 0;

  private containsVowel(stem: Word): boolean {
    for (let i = 0; i < stem.length; i++) if (!this.isConsonant(stem, i)) return true;
    return false;
  }

  private endsDoubleConsonant(word: Word): boolean {
    const n = word.length;
    return n >= 2 && word[n - 1] === word[n - 2] && this.isConsonant(word, n - 1);
  }

  private endsCvc(word: Word): boolean {
    const n = word.length;
    return (
      (n >= 3 &&
        this.isConsonant(word, n - 3) &&
        !this.isConsonant(word, n - 2) &&
        this.isConsonant(word, n - 1) &&
        !["w", "x", "y"].includes(word[n - 1] as string)) ||
      (this.mode === "NLTK_EXTENSIONS" && n === 2 && !this.isConsonant(word, 0) && this.isConsonant(word, 1))
    );
  }

  private applyRuleList(word: Word, rules: readonly Rule[]): Word {
    for (const [suffix, replacement, condition] of rules) {
      if (suffix === "*d" && this.endsDoubleConsonant(word)) {
        const stem = word.slice(0, word.length - 2);
        return condition === null || condition(stem) ? [...stem, ...chars(replacement)] : word;
      }
      if (endsWith(word, suffix)) {
        const stem = dropSuffix(word, suffix);
        return condition === null || condition(stem) ? [...stem, ...chars(replacement)] : word;
      }
    }
    return word;
  }

  private step1a(word: Word): Word {
    if (this.mode === "NLTK_EXTENSIONS" && endsWith(word, "ies") && word.length === 4) {
      return [...dropSuffix(word, "ies"), "i", "e"];
    }
    return this.applyRuleList(word, [
      ["sses", "ss", null],
      ["ies", "i", null],
      ["ss", "ss", null],
      ["s", "", null],
    ]);
  }

  private step1b(word: Word): Word {
    if (this.mode === "NLTK_EXTENSIONS" && endsWith(word, "ied")) {
      return word.length === 4 ? [...dropSuffix(word, "ied"), "i", "e"] : [...dropSuffix(word, "ied"), "i"];
    }
    if (endsWith(word, "eed")) {
      const stem = dropSuffix(word, "eed");
      return this.measure(stem) > 0 ? [...stem, "e", "e"] : word;
    }
    let intermediate: Word | null = null;
    for (const suffix of ["ed", "ing"]) {
      if (endsWith(word, suffix)) {
        const candidate = dropSuffix(word, suffix);
        if (this.containsVowel(candidate)) {
          intermediate = candidate;
          break;
        }
      }
    }
    if (intermediate === null) return word;
    const stem0 = intermediate;
    const last = stem0[stem0.length - 1] as string;
    return this.applyRuleList(stem0, [
      ["at", "ate", null],
      ["bl", "ble", null],
      ["iz", "ize", null],
      ["*d", last, () => !["l", "s", "z"].includes(last)],
      ["", "e", (stem) => this.measure(stem) === 1 && this.endsCvc(stem)],
    ]);
  }

  private step1c(word: Word): Word {
    const condition: Condition =
      this.mode === "NLTK_EXTENSIONS"
        ? (stem) => stem.length > 1 && this.isConsonant(stem, stem.length - 1)
        : (stem) => this.containsVowel(stem);
    return this.applyRuleList(word, [["y", "i", condition]]);
  }

  private step2(word: Word): Word {
    if (this.mode === "NLTK_EXTENSIONS" && endsWith(word, "alli") && this.hasPositiveMeasure(dropSuffix(word, "alli"))) {
      return this.step2([...dropSuffix(word, "alli"), "a", "l"]);
    }
    const m = this.hasPositiveMeasure;
    const rules: Rule[] = [
      ["ational", "ate", m],
      ["tional", "tion", m],
      ["enci", "ence", m],
      ["anci", "ance", m],
      ["izer", "ize", m],
      this.mode === "ORIGINAL_ALGORITHM" ? ["abli", "able", m] : ["bli", "ble", m],
      ["alli", "al", m],
      ["entli", "ent", m],
      ["eli", "e", m],
      ["ousli", "ous", m],
      ["ization", "ize", m],
      ["ation", "ate", m],
      ["ator", "ate", m],
      ["alism", "al", m],
      ["iveness", "ive", m],
      ["fulness", "ful", m],
      ["ousness", "ous", m],
      ["aliti", "al", m],
      ["iviti", "ive", m],
      ["biliti", "ble", m],
    ];
    if (this.mode === "NLTK_EXTENSIONS") {
      rules.push(["fulli", "ful", m]);
      // nltk tests the word less its last three characters, not the stem the rule leaves.
      rules.push(["logi", "log", () => this.hasPositiveMeasure(word.slice(0, Math.max(0, word.length - 3)))]);
    }
    if (this.mode === "MARTIN_EXTENSIONS") rules.push(["logi", "log", m]);
    return this.applyRuleList(word, rules);
  }

  private step3(word: Word): Word {
    const m = this.hasPositiveMeasure;
    return this.applyRuleList(word, [
      ["icate", "ic", m],
      ["ative", "", m],
      ["alize", "al", m],
      ["iciti", "ic", m],
      ["ical", "ic", m],
      ["ful", "", m],
      ["ness", "", m],
    ]);
  }

  private step4(word: Word): Word {
    const gt1 = (stem: Word): boolean => this.measure(stem) > 1;
    return this.applyRuleList(word, [
      ["al", "", gt1],
      ["ance", "", gt1],
      ["ence", "", gt1],
      ["er", "", gt1],
      ["ic", "", gt1],
      ["able", "", gt1],
      ["ible", "", gt1],
      ["ant", "", gt1],
      ["ement", "", gt1],
      ["ment", "", gt1],
      ["ent", "", gt1],
      ["ion", "", (stem) => this.measure(stem) > 1 && ["s", "t"].includes(stem[stem.length - 1] as string)],
      ["ou", "", gt1],
      ["ism", "", gt1],
      ["ate", "", gt1],
      ["iti", "", gt1],
      ["ous", "", gt1],
      ["ive", "", gt1],
      ["ize", "", gt1],
    ]);
  }

  private step5a(word: Word): Word {
    if (endsWith(word, "e")) {
      const stem = dropSuffix(word, "e");
      if (this.measure(stem) > 1) return stem;
      if (this.measure(stem) === 1 && !this.endsCvc(stem)) return stem;
    }
    return word;
  }

  private step5b(word: Word): Word {
    return this.applyRuleList(word, [["ll", "l", () => this.measure(word.slice(0, word.length - 1)) > 1]]);
  }

  /** `PorterStemmer().stem(word, to_lowercase)`. */
  stem(word: string, toLowercase = true): string {
    const lowered = toLowercase ? pyLower(word) : word;
    if (this.mode === "NLTK_EXTENSIONS" && this.pool.has(word)) {
      const hit = this.pool.get(lowered);
      if (hit === undefined) throw new Error(`KeyError: '${lowered}'`); // as nltk would (never for lowercase input)
      return hit;
    }
    if (this.mode !== "ORIGINAL_ALGORITHM" && chars(word).length <= 2) return lowered;
    let w: Word = chars(lowered);
    w = this.step1a(w);
    w = this.step1b(w);
    w = this.step1c(w);
    w = this.step2(w);
    w = this.step3(w);
    w = this.step4(w);
    w = this.step5a(w);
    w = this.step5b(w);
    return join(w);
  }
}
