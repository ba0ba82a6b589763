/**
 * gen_test_data.ipynb, re-done: the haystack (Paul Graham essays for English, 红楼梦 for Chinese),
 * cut to int(length × scalar) words (EN) or characters (ZH), with m = 32 star sentences placed every
 * int(j / m) units exactly as the notebook splices them.
 */
import { readFile } from "node:fs/promises";
import type { BenchmarkContext, RemoteFile } from "@loomscope/spec";
import { RULER_NOISE_SENTENCES, readPaulGrahamEssays } from "@loomscope/benchmark-kit";
import { GEN_SCALAR, M, starSentence, type Language, type Variant } from "./constants.js";

const RAW = "https://raw.githubusercontent.com/nick7nlp/Counting-Stars/main/context_data";
export const STONE_FILE: RemoteFile = { source: "url", url: `${RAW}/The_Story_of_the_Stone.txt`, path: "counting-stars/The_Story_of_the_Stone.txt" };

const cache = new Map<string, Promise<string>>();

export type HaystackKind = "essay" | "noise";
/**
 * Built-in filler that needs no download (not official): RULER's noise sentences for English
 * (scripts/data/synthetic/niah.py), and the same sentences in Chinese, without Latin letters or
 * ASCII punctuation, as get_context leaves the official Chinese text.
 */
export const NOISE_FILLER: Record<Language, string> = {
  EN: `${RULER_NOISE_SENTENCES} `,
  ZH: "草是绿的。天是蓝的。太阳是黄的。我们出发了。去了又回来。",
};

/** The filler repeated to `units` words (EN) or characters (ZH), enough for any context size. */
export function noiseHaystack(language: Language, units: number): string {
  const one = NOISE_FILLER[language];
  const per = language === "EN" ? one.trim().split(" ").length : Array.from(one).length;
  return one.repeat(Math.ceil(units / per) + 1);
}

/**
 * get_context: EN essays with newlines as spaces; ZH lines stripped, ASCII punctuation, spaces and
 * Latin letters removed. `kind: "noise"` returns the built-in filler instead (no files).
 */
export function haystack(ctx: BenchmarkContext, language: Language, kind: HaystackKind = "essay", units = 0): Promise<string> {
  if (kind === "noise") return Promise.resolve(noiseHaystack(language, units));
  const key = `${language}:${ctx.cacheDir}:${ctx.data.local(STONE_FILE.path) ?? ""}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const provenance: Record<string, string> = {};
      let text = "";
      if (language === "EN") {
        // get_context: each essay's newlines as spaces, joined.
        for (const essay of await readPaulGrahamEssays(ctx, "haystack:EN")) text += essay.replaceAll("\n", " ");
      } else {
        const f = await ctx.data.fetch(STONE_FILE, { signal: ctx.signal });
        provenance[STONE_FILE.path] = f.sha256;
        const raw = await readFile(f.path, "utf8");
        const lines = raw.split(/(?<=\n)/);
        for (const line of lines) text += line.trim().replaceAll("------------", " ").replaceAll("\n", " ").replaceAll(" ", "");
        // Python's class '[{}]'.format(string.punctuation): its `\]` is an escape, so backslash stays.
        text = text.replace(/[!"#$%&'()*+,\-./:;<=>?@[\]^_`{|}~]/g, "").replace(/[a-zA-Z]/g, "");
      }
      if (language === "ZH") ctx.recordProvenance(`haystack:${language}`, provenance);
      return text;
    })();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

/** The notebook's sprinkle loop for one context size j (words or characters). */
export function sprinkle(context: string, language: Language, variant: Variant, j: number, m = M): string {
  const step = Math.trunc(j / m);
  if (language === "EN") {
    let s = context.split(" ").slice(0, j).join(" ");
    let indicator = 0;
    for (let k = 0; k < j; k += step) {
      const star = starSentence(language, variant, indicator);
      const words = s.split(" ");
      const at = star.split(" ").length * indicator + k + step;
      s = words.slice(0, at).join(" ") + star + words.slice(at).join(" ");
      indicator++;
      if (indicator === m) break;
    }
    return s;
  }
  let chars = Array.from(context).slice(0, j);
  let indicator = 0;
  for (let k = 0; k < j; k += step) {
    const star = Array.from(starSentence(language, variant, indicator));
    const at = k + step + star.length * indicator;
    chars = [...chars.slice(0, at), ...star, ...chars.slice(at)];
    indicator++;
    if (indicator === m) break;
  }
  return chars.join("");
}

/** Context size (words or characters) of a length level, as the notebook computes it: int(i × scalar). */
export function contextSize(lengthTokens: number, language: Language): number {
  return Math.trunc(lengthTokens * GEN_SCALAR[language]);
}
