/**
 * nltk 3.9 reads the English sentence-tokenizer parameters from `punkt_tab/english/`
 * (abbrev_types.txt, collocations.tab, sent_starters.txt, ortho_context.tab). The built-in English
 * model (`punktEnglishParameters` in @loomscope/metrics) is used by default; `loadPunktTab` reads
 * such a folder instead, which `scoreOfficial` does when one is where nltk would look.
 */
import { readFile } from "node:fs/promises";
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
