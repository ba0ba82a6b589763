/**
 * NLTK's `PorterStemmer` (nltk/stem/porter.py, NLTK 3.8 as Debian 12 ships it), in its three
 * modes. Google's rouge_score builds `porter.PorterStemmer()` — the default NLTK_EXTENSIONS mode —
 * when `use_stemmer=True`.
 *
 * Python indexes strings by code point; a word with characters outside the BMP is stemmed with each
 * such character stood in for by a private-use BMP character, which the algorithm treats exactly
 * like the original (a consonant that equals only itself), and mapped back afterwards.
 */
import { pyLower } from "./unicode.js";

export type PorterMode = "NLTK_EXTENSIONS" | "MARTIN_EXTENSIONS" | "ORIGINAL_ALGORITHM";

type Condition = ((stem: string) => boolean) | null;
type Rule = readonly [suffix: string, replacement: string, condition: Condition];

/** NLTK_EXTENSIONS' irregular forms: word → stem (porter.py `irregular_forms`, inverted as `self.pool`). */
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

const POOL: ReadonlyMap<string, string> = new Map(
  Object.entries(IRREGULAR_FORMS).flatMap(([stem, forms]) => forms.map((form) => [form, stem] as const)),
);

const VOWELS = new Set(["a", "e", "i", "o", "u"]);
const SURROGATE = /[\uD800-\uDFFF]/;

export class PorterStemmer {
  readonly mode: PorterMode;

  constructor(mode: PorterMode = "NLTK_EXTENSIONS") {
    if (mode !== "NLTK_EXTENSIONS" && mode !== "MARTIN_EXTENSIONS" && mode !== "ORIGINAL_ALGORITHM") {
      throw new Error(
        "Mode must be one of PorterStemmer.NLTK_EXTENSIONS, PorterStemmer.MARTIN_EXTENSIONS, or PorterStemmer.ORIGINAL_ALGORITHM",
      );
    }
    this.mode = mode;
  }

  /** `PorterStemmer.stem(word, to_lowercase=True)`. */
  stem(word: string, toLowercase = true): string {
    const lowered = toLowercase ? pyLower(word) : word;
    if (this.mode === "NLTK_EXTENSIONS" && POOL.has(word)) return POOL.get(lowered) as string;
    // `len(word)` counts code points of the word as given, before lower-casing.
    if (this.mode !== "ORIGINAL_ALGORITHM" && codePointLength(word) <= 2) return lowered;
    if (!SURROGATE.test(lowered)) return this.steps(lowered);
    const { text, restore } = toBmp(lowered);
    return restore(this.steps(text));
  }

  private steps(word: string): string {
    let stem = this.step1a(word);
    stem = this.step1b(stem);
    stem = this.step1c(stem);
    stem = this.step2(stem);
    stem = this.step3(stem);
    stem = this.step4(stem);
    stem = this.step5a(stem);
    stem = this.step5b(stem);
    return stem;
  }

  private isConsonant(word: string, i: number): boolean {
    // Iterative form of the recursive definition: a "y" is a consonant when it starts the word
    // or follows a vowel.
    let consonant = true;
    let start = i;
    while (start > 0 && word[start] === "y") start--;
    // word[start] is the first character of the trailing run of "y"s ending at i (or a non-y).
    for (let k = start; k <= i; k++) {
      const ch = word[k] as string;
      if (VOWELS.has(ch)) consonant = false;
      else if (ch === "y") consonant = k === 0 ? true : !consonant;
      else consonant = true;
    }
    return consonant;
  }

  private measure(stem: string): number {
    let count = 0;
    let previousVowel = false;
    for (let i = 0; i < stem.length; i++) {
      const consonant = this.isConsonant(stem, i);
      if (consonant && previousVowel) count++;
      previousVowel = !consonant;
    }
    return count;
  }

  private hasPositiveMeasure = (stem: string): boolean => this.measure(stem) > 0;

  private containsVowel(stem: string): boolean {
    for (let i = 0; i < stem.length; i++) if (!this.isConsonant(stem, i)) return true;
    return false;
  }

  private endsDoubleConsonant(word: string): boolean {
    const n = word.length;
    return n >= 2 && word[n - 1] === word[n - 2] && this.isConsonant(word, n - 1);
  }

  private endsCvc(word: string): boolean {
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

  private applyRuleList(word: string, rules: readonly Rule[]): string {
    for (const [suffix, replacement, condition] of rules) {
      if (suffix === "*d" && this.endsDoubleConsonant(word)) {
        const stem = word.slice(0, -2);
        return condition === null || condition(stem) ? stem + replacement : word;
      }
      if (word.endsWith(suffix)) {
        const stem = suffix === "" ? word : word.slice(0, -suffix.length);
        return condition === null || condition(stem) ? stem + replacement : word;
      }
    }
    return word;
  }

  private step1a(word: string): string {
    if (this.mode === "NLTK_EXTENSIONS" && word.endsWith("ies") && word.length === 4) {
      return word.slice(0, -3) + "ie";
    }
    return this.applyRuleList(word, [
      ["sses", "ss", null],
      ["ies", "i", null],
      ["ss", "ss", null],
      ["s", "", null],
    ]);
  }

  private step1b(word: string): string {
    if (this.mode === "NLTK_EXTENSIONS" && word.endsWith("ied")) {
      return word.slice(0, -3) + (word.length === 4 ? "ie" : "i");
    }
    if (word.endsWith("eed")) {
      const stem = word.slice(0, -3);
      return this.measure(stem) > 0 ? stem + "ee" : word;
    }
    let intermediate: string | undefined;
    for (const suffix of ["ed", "ing"]) {
      if (word.endsWith(suffix)) {
        const candidate = word.slice(0, -suffix.length);
        if (this.containsVowel(candidate)) {
          intermediate = candidate;
          break;
        }
      }
    }
    if (intermediate === undefined) return word;
    const last = intermediate[intermediate.length - 1] as string;
    return this.applyRuleList(intermediate, [
      ["at", "ate", null],
      ["bl", "ble", null],
      ["iz", "ize", null],
      ["*d", last, () => !["l", "s", "z"].includes(last)],
      ["", "e", (stem) => this.measure(stem) === 1 && this.endsCvc(stem)],
    ]);
  }

  private step1c(word: string): string {
    const condition =
      this.mode === "NLTK_EXTENSIONS"
        ? (stem: string) => stem.length > 1 && this.isConsonant(stem, stem.length - 1)
        : (stem: string) => this.containsVowel(stem);
    return this.applyRuleList(word, [["y", "i", condition]]);
  }

  private step2(word: string): string {
    if (this.mode === "NLTK_EXTENSIONS" && word.endsWith("alli") && this.hasPositiveMeasure(word.slice(0, -4))) {
      return this.step2(word.slice(0, -4) + "al");
    }
    const positive = this.hasPositiveMeasure;
    const rules: Rule[] = [
      ["ational", "ate", positive],
      ["tional", "tion", positive],
      ["enci", "ence", positive],
      ["anci", "ance", positive],
      ["izer", "ize", positive],
      this.mode === "ORIGINAL_ALGORITHM" ? ["abli", "able", positive] : ["bli", "ble", positive],
      ["alli", "al", positive],
      ["entli", "ent", positive],
      ["eli", "e", positive],
      ["ousli", "ous", positive],
      ["ization", "ize", positive],
      ["ation", "ate", positive],
      ["ator", "ate", positive],
      ["alism", "al", positive],
      ["iveness", "ive", positive],
      ["fulness", "ful", positive],
      ["ousness", "ous", positive],
      ["aliti", "al", positive],
      ["iviti", "ive", positive],
      ["biliti", "ble", positive],
    ];
    if (this.mode === "NLTK_EXTENSIONS") {
      rules.push(["fulli", "ful", positive]);
      // porter.py measures word[:-3] here, not the stem the rule hands over.
      rules.push(["logi", "log", () => this.hasPositiveMeasure(word.slice(0, -3))]);
    }
    if (this.mode === "MARTIN_EXTENSIONS") rules.push(["logi", "log", positive]);
    return this.applyRuleList(word, rules);
  }

  private step3(word: string): string {
    const positive = this.hasPositiveMeasure;
    return this.applyRuleList(word, [
      ["icate", "ic", positive],
      ["ative", "", positive],
      ["alize", "al", positive],
      ["iciti", "ic", positive],
      ["ical", "ic", positive],
      ["ful", "", positive],
      ["ness", "", positive],
    ]);
  }

  private step4(word: string): string {
    const gt1 = (stem: string) => this.measure(stem) > 1;
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
      ["ion", "", (stem) => this.measure(stem) > 1 && (stem.endsWith("s") || stem.endsWith("t"))],
      ["ou", "", gt1],
      ["ism", "", gt1],
      ["ate", "", gt1],
      ["iti", "", gt1],
      ["ous", "", gt1],
      ["ive", "", gt1],
      ["ize", "", gt1],
    ]);
  }

  private step5a(word: string): string {
    if (word.endsWith("e")) {
      const stem = word.slice(0, -1);
      if (this.measure(stem) > 1) return stem;
      if (this.measure(stem) === 1 && !this.endsCvc(stem)) return stem;
    }
    return word;
  }

  private step5b(word: string): string {
    return this.applyRuleList(word, [["ll", "l", () => this.measure(word.slice(0, -1)) > 1]]);
  }
}

function codePointLength(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Stand each astral code point in for a private-use BMP character absent from the word. */
function toBmp(word: string): { text: string; restore: (stemmed: string) => string } {
  const forward = new Map<string, string>();
  const backward = new Map<string, string>();
  let next = 0xe000;
  let text = "";
  for (const ch of word) {
    if (ch.length === 1) {
      text += ch;
      continue;
    }
    let stand = forward.get(ch);
    if (stand === undefined) {
      while (word.includes(String.fromCharCode(next))) next++;
      stand = String.fromCharCode(next++);
      forward.set(ch, stand);
      backward.set(stand, ch);
    }
    text += stand;
  }
  return {
    text,
    restore: (stemmed) => Array.from(stemmed, (ch) => backward.get(ch) ?? ch).join(""),
  };
}
