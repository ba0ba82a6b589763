/**
 * Helpers for `scoreOfficial` (`loom score <id> --predictions DIR`): where the official script would
 * crash, loom score raises `OFFICIAL_SCORE` naming the file and the crash, and writes nothing.
 */
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PyJsonDecodeError, pyJsonLoads, pyReadText, type PyJsonValue } from "@loomscope/metrics";
import { LoomError } from "@loomscope/spec";

/** The official script would crash here: a clear error, no output file. */
export function officialScoreError(message: string, hint?: string): never {
  throw new LoomError("OFFICIAL_SCORE", message, hint === undefined ? undefined : { hint });
}

/** Whether a path exists (the official scripts' `os.path.exists`). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A JSON file as the official script's `json.load` reads it (Python's values: ints, floats and dicts
 * kept apart), or the crash it would hit — `what` names the file's role, `script` the official file.
 */
export async function readOfficialJson(path: string, what: string, script: string): Promise<PyJsonValue> {
  let text: string;
  try {
    text = await pyReadText(path);
  } catch (e) {
    officialScoreError(`${what} ${path}: ${(e as Error).message} (${script} raises here)`);
  }
  try {
    return pyJsonLoads(text);
  } catch (e) {
    officialScoreError(`${what} ${path} is not JSON (${(e as Error).message}); ${script} raises ${e instanceof PyJsonDecodeError ? e.pythonError : "an error"}`);
  }
}

/** Writes the official output files (name → UTF-8 text) into `out`, creating it; returns their paths in order. */
export async function writeOfficialFiles(out: string, files: ReadonlyMap<string, string>): Promise<string[]> {
  await mkdir(out, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of files) {
    const path = join(out, name);
    await writeFile(path, text, "utf8");
    written.push(path);
  }
  return written;
}
