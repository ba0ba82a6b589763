import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { safeRelativePath } from "./download.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The Hugging Face hub cache folder, as huggingface_hub finds it: HF_HUB_CACHE (or the older
 * HUGGINGFACE_HUB_CACHE), else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else
 * ~/.cache/huggingface/hub.
 */
export function hfHubCacheDir(env: Env): string {
  const explicit = env.HF_HUB_CACHE ?? env.HUGGINGFACE_HUB_CACHE;
  if (explicit) return resolve(explicit);
  if (env.HF_HOME) return join(resolve(env.HF_HOME), "hub");
  const cacheHome = env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), ".cache");
  return join(resolve(cacheHome), "huggingface", "hub");
}

const COMMIT = /^[0-9a-f]{40}$/;

/**
 * Where a Hugging Face file already sits in the hub cache, if it does:
 * `<hub>/<datasets|models>--<owner>--<name>/snapshots/<commit>/<path>`, the commit being the
 * revision itself when it is one, else what `refs/<revision>` names. The file is used in place.
 */
export function hfCachedFile(file: { repo: string; repoType: "dataset" | "model"; revision: string; path: string }, env: Env): string | undefined {
  const repoDir = join(hfHubCacheDir(env), `${file.repoType}s--${file.repo.split("/").join("--")}`);
  if (!existsSync(repoDir)) return undefined;
  let commit: string | undefined;
  if (COMMIT.test(file.revision)) commit = file.revision;
  else {
    try {
      commit = readFileSync(join(repoDir, "refs", safeRelativePath(file.revision)), "utf8").trim();
    } catch {
      return undefined;
    }
    if (!COMMIT.test(commit)) return undefined;
  }
  const candidate = join(repoDir, "snapshots", commit, safeRelativePath(file.path));
  return existsSync(candidate) ? candidate : undefined;
}
