/**
 * nltk 3.9 reads the English sentence-tokenizer parameters from `punkt_tab/english/`
 * (abbrev_types.txt, collocations.tab, sent_starters.txt, ortho_context.tab). The built-in English
 * model (`punktEnglishParameters` in @loomscope/metrics) is used by default; `loadPunktTab` reads
 * such a folder instead, which `scoreOfficial` does when one is where nltk would look.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { parsePunktTab, type PunktParameters } from "@loomscope/metrics";

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
