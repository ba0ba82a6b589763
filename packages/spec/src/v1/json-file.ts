import { readFileSync } from "node:fs";
import { LoomError } from "./errors.js";

/**
 * A JSON file, or a LoomError (default code CONFIG) naming the file and the line and column of the
 * first problem (Node reports a character position; lines and columns are what an editor shows).
 */
export function parseJsonFile(file: string, code = "CONFIG", hint?: string): unknown {
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new LoomError(code, `${file}${jsonErrorLocation(text, message)}: invalid JSON: ${message.replace(/ in JSON at position \d+.*$/s, "").replace(/\s*\(line \d+ column \d+\)$/, "")}`, hint ? { hint } : undefined);
  }
}

/** `:line:column` of a JSON.parse error message, when it names a position. */
export function jsonErrorLocation(text: string, message: string): string {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) return `:${lineColumn[1]}:${lineColumn[2]}`;
  const position = /at position (\d+)/.exec(message);
  if (position) {
    const at = Number(position[1]);
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    return `:${line}:${column}`;
  }
  if (/Unexpected end of JSON input/.test(message)) {
    const lines = text.split("\n");
    return `:${lines.length}:${(lines.at(-1) ?? "").length + 1}`;
  }
  return "";
}
