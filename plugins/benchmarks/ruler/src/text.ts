/**
 * Sentence splitting for essay haystacks. RULER uses nltk's Punkt `sent_tokenize`; this follows its
 * main rule (a sentence ends at . ! or ? — optionally followed by closing quotes or brackets — then
 * whitespace), and keeps common abbreviations and single initials from ending a sentence.
 */
const ABBREVIATIONS = new Set([
  "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "corp",
  "u.s", "u.k", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "fig",
]);

export function sentTokenize(text: string): string[] {
  const out: string[] = [];
  const re = /[.!?]+["'\u201d\u2019)\]]*(?=\s+)/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const end = m.index + m[0].length;
    const before = text.slice(start, m.index);
    const lastWord = /(\S+)$/.exec(before)?.[1] ?? "";
    if (m[0].startsWith(".") && m[0].length === 1) {
      const w = lastWord.toLowerCase().replace(/^[("'\u201c\u2018]+/, "");
      if (ABBREVIATIONS.has(w) || /^[a-z]$/i.test(w)) continue;
    }
    const sentence = text.slice(start, end).trim();
    if (sentence) out.push(sentence);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}
