/**
 * nltk's English sentence-tokenizer parameters as nltk 3.9 stores them (`punkt_tab/english/`:
 * abbrev_types.txt, collocations.tab, sent_starters.txt, ortho_context.tab), the data
 * `sent_tokenize` loads with the nltk==3.9.1 that L-CiteEval's requirements pin. Not shipped: fetch
 * `PUNKT_TAB` (or point at an nltk_data folder) and load it with `loadPunktTab`.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { RemoteFile } from "@loomscope/spec";
import type { PunktParameters } from "@loomscope/metrics";

export const PUNKT_TAB: RemoteFile = {
  source: "url",
  url: "https://raw.githubusercontent.com/nltk/nltk_data/gh-pages/packages/tokenizers/punkt_tab.zip",
  path: "nltk_data/tokenizers/punkt_tab.zip",
};

/** Parse the four files' texts (the loader of nltk's `PunktTokenizer.load_lang`). */
export function parsePunktTab(files: { abbrevTypes: string; collocations: string; sentStarters: string; orthoContext: string }): PunktParameters {
  const lines = (t: string): string[] => t.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l !== "");
  const orthoContext = new Map<string, number>();
  for (const l of lines(files.orthoContext)) {
    const [k, v] = l.split("\t");
    orthoContext.set(k as string, Number.parseInt(v as string, 10));
  }
  return {
    abbrevTypes: new Set(lines(files.abbrevTypes)),
    collocations: new Set(lines(files.collocations).map((l) => l.split("\t").join("\u0000"))),
    sentStarters: new Set(lines(files.sentStarters)),
    orthoContext,
  };
}

/** Load `<dir>/{abbrev_types.txt, collocations.tab, sent_starters.txt, ortho_context.tab}`. */
export async function loadPunktTab(dir: string): Promise<PunktParameters> {
  const read = (f: string): Promise<string> => readFile(join(dir, f), "utf8");
  return parsePunktTab({
    abbrevTypes: await read("abbrev_types.txt"),
    collocations: await read("collocations.tab"),
    sentStarters: await read("sent_starters.txt"),
    orthoContext: await read("ortho_context.tab"),
  });
}

/** Where nltk would find punkt_tab/english: `$NLTK_DATA`, `~/nltk_data`, `<root>/nltk_data`, the system folders. */
export function punktTabCandidates(root: string = process.cwd()): string[] {
  const dirs = [process.env["NLTK_DATA"], join(homedir(), "nltk_data"), join(root, "nltk_data"), "/usr/share/nltk_data", "/usr/local/share/nltk_data", "/usr/lib/nltk_data"];
  return dirs.filter((d): d is string => typeof d === "string").map((d) => join(d, "tokenizers", "punkt_tab", "english"));
}

/** nltk's English Punkt parameters from the first folder nltk would read, or undefined when none has them. */
export async function findPunktTab(root?: string): Promise<PunktParameters | undefined> {
  for (const dir of punktTabCandidates(root)) if (existsSync(join(dir, "abbrev_types.txt"))) return loadPunktTab(dir);
  return undefined;
}
