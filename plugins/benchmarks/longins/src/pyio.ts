/** Reading files as the official Python scripts do (`open(path, encoding='utf-8')`, text mode). */
import { readFile } from "node:fs/promises";

/** The file decoded as strict UTF-8 (Python raises UnicodeDecodeError on invalid bytes), a BOM kept as U+FEFF as Python's utf-8 codec keeps it. */
export async function readUtf8(path: string): Promise<string> {
  const bytes = await readFile(path);
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
}

/**
 * The lines `for line in open(path)` yields, without their terminators: text mode splits on
 * "\n", "\r\n" and "\r" alike (universal newlines), and a final terminator adds no empty line.
 */
export function pyTextLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
