/**
 * Reading files the way the official Python scripts do: `open(path, encoding="utf-8")` in text
 * mode (strict UTF-8, a BOM kept as U+FEFF, universal newlines: "\r\n", "\r" and "\n" all end a
 * line) and `for line in f: json.loads(line)` — a blank line is a JSONDecodeError.
 */
import { readFile } from "node:fs/promises";

export class PythonScriptError extends Error {
  readonly code = "OFFICIAL_SCORE";
  constructor(
    readonly pythonError: string,
    message: string,
    readonly hint?: string,
  ) {
    super(`${message} (the official script stops with ${pythonError} here)`);
    this.name = "PythonScriptError";
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The whole file as Python reads it in text mode. */
export async function readPyText(path: string): Promise<string> {
  const bytes = await readFile(path);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new PythonScriptError("UnicodeDecodeError", `${path} is not valid UTF-8`);
  }
}

/** `for line in f` over a text-mode file: lines split on universal newlines, the last one possibly unterminated. */
export function pyLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * `json.loads(line)`. Python also accepts NaN / Infinity literals, which JSON.parse refuses; the
 * official prediction writers never produce them.
 */
export function pyJsonLoads(line: string, where: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch (e) {
    throw new PythonScriptError("json.JSONDecodeError", `${where}: not JSON (${(e as Error).message})`);
  }
}

/** Python's default string order (code points), which `sorted()` uses. */
export function codePointCompare(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = ((x[i] as string).codePointAt(0) as number) - ((y[i] as string).codePointAt(0) as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
