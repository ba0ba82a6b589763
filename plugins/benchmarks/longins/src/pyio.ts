/** Reading a file as the official scripts do: `open(path, encoding='utf-8')`, strict UTF-8, BOM kept. */
import { readFile } from "node:fs/promises";
import { pyDecodeUtf8 } from "@loomscope/metrics";

export async function readUtf8(path: string): Promise<string> {
  return pyDecodeUtf8(await readFile(path));
}
