import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, normalize, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { BackendRequestError, LoomError, RemoteFileSchema, type FetchedFile, type RemoteFile } from "@loomscope/spec";
import { parseRetryAfter } from "@loomscope/http";
import { withRetry, type RetryInfo, type RetryPolicy } from "../retry.js";
import { hfCachedFile, hfHubCacheDir } from "./hf-cache.js";

export interface DownloaderOptions {
  cacheDir: string;
  dataDir?: string;
  offline?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  fetch?: typeof globalThis.fetch;
  retry?: RetryPolicy;
  onRetry?: (info: RetryInfo) => void;
  onProgress?: (progress: { file: string; bytes: number; total: number | undefined }) => void;
}

type ResolvedRemote = ReturnType<typeof RemoteFileSchema.parse>;

/** Reject paths that would leave the directory they are joined to. */
export function safeRelativePath(path: string): string {
  const normal = normalize(path.replaceAll("\\", "/"));
  if (isAbsolute(normal) || /^[A-Za-z]:/.test(normal) || normal.split(/[\\/]/).includes("..") || normal === ".") {
    throw new LoomError("UNSAFE_PATH", `refusing path ${JSON.stringify(path)}: it escapes its directory`);
  }
  return normal;
}

/** The URL a remote file is served from, honouring HF_ENDPOINT and MODELSCOPE_ENDPOINT. */
export function remoteUrl(file: ResolvedRemote, env: Readonly<Record<string, string | undefined>>): string {
  const enc = (p: string) => p.split("/").map(encodeURIComponent).join("/");
  switch (file.source) {
    case "huggingface": {
      const endpoint = (env.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/+$/, "");
      const prefix = file.repoType === "dataset" ? "datasets/" : "";
      return `${endpoint}/${prefix}${file.repo}/resolve/${encodeURIComponent(file.revision)}/${enc(file.path)}`;
    }
    case "modelscope": {
      const endpoint = (env.MODELSCOPE_ENDPOINT ?? "https://www.modelscope.cn").replace(/\/+$/, "");
      const kind = file.repoType === "dataset" ? "datasets" : "models";
      const query = new URLSearchParams({ Revision: file.revision, FilePath: file.path });
      return `${endpoint}/api/v1/${kind}/${file.repo}/repo?${query.toString()}`;
    }
    case "url":
      return file.url;
  }
}

function cacheRelative(file: ResolvedRemote): string {
  switch (file.source) {
    case "huggingface":
    case "modelscope":
      return join("data", file.source, safeRelativePath(file.repo), safeRelativePath(file.revision), safeRelativePath(file.path));
    case "url":
      return join("data", "url", createHash("sha256").update(file.url).digest("hex").slice(0, 16), safeRelativePath(file.path));
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * sha256 of a file, remembered (keyed by size and mtime) so big files are hashed once. The memo lives
 * in `<cacheDir>/hashes/`, keyed by the file's absolute path: nothing is ever written beside the
 * file, which may sit in a user's --data-dir or the Hugging Face cache. Without a cache dir, the
 * file is hashed every time.
 */
export async function cachedHash(path: string, cacheDir?: string): Promise<string> {
  const stat = statSync(path);
  const absolute = resolve(path);
  const key = `${stat.size}:${stat.mtimeMs}`;
  const memo = cacheDir ? join(cacheDir, "hashes", `${createHash("sha256").update(absolute).digest("hex").slice(0, 40)}.sha256`) : undefined;
  if (memo && existsSync(memo)) {
    const [savedKey, savedHash, ...savedPath] = readFileSync(memo, "utf8").trim().split(" ");
    if (savedKey === key && savedHash && savedPath.join(" ") === absolute) return savedHash;
  }
  const digest = await hashFile(path);
  if (memo) {
    try {
      mkdirSync(dirname(memo), { recursive: true });
      writeFileSync(memo, `${key} ${digest} ${absolute}\n`);
    } catch {
      // an unwritable cache: hashing again next time is fine
    }
  }
  return digest;
}

/**
 * Resolves remote files to local paths: the user's `--data-dir` first, then the cache, else a
 * resumable, checksummed download (unless offline). Errors say which file is missing and where to
 * put it.
 */
export class Downloader {
  readonly cacheDir: string;
  readonly dataDir: string | undefined;
  private readonly options: DownloaderOptions;
  private readonly inflight = new Map<string, Promise<FetchedFile>>();

  constructor(options: DownloaderOptions) {
    this.options = options;
    this.cacheDir = options.cacheDir;
    this.dataDir = options.dataDir;
  }

  private get env() {
    return this.options.env ?? process.env;
  }

  private get offline(): boolean {
    const env = this.env;
    return Boolean(this.options.offline) || env.LOOMSCOPE_OFFLINE === "1" || env.HF_HUB_OFFLINE === "1";
  }

  local(relativePath: string): string | undefined {
    if (!this.dataDir) return undefined;
    const candidate = join(this.dataDir, safeRelativePath(relativePath));
    return existsSync(candidate) ? candidate : undefined;
  }

  fetch(input: RemoteFile, options: { signal?: AbortSignal } = {}): Promise<FetchedFile> {
    const file = RemoteFileSchema.parse(input);
    const target = join(this.cacheDir, cacheRelative(file));
    let pending = this.inflight.get(target);
    if (!pending) {
      pending = this.resolve(file, target, options.signal).finally(() => this.inflight.delete(target));
      this.inflight.set(target, pending);
    }
    return pending;
  }

  private async verify(path: string, file: ResolvedRemote, origin: FetchedFile["origin"]): Promise<FetchedFile> {
    const digest = await cachedHash(path, this.cacheDir);
    if (file.sha256 && digest !== file.sha256.toLowerCase()) {
      throw new LoomError("CHECKSUM", `${path} has sha256 ${digest}, expected ${file.sha256}`, {
        hint: origin === "cache" ? `delete ${path} and run again to download it afresh` : "replace the file with the official one",
      });
    }
    return { path, sha256: digest, bytes: statSync(path).size, origin };
  }

  private async resolve(file: ResolvedRemote, target: string, signal?: AbortSignal): Promise<FetchedFile> {
    // --data-dir may hold the file as named, under its repository's folder, or by its bare name.
    const local =
      this.local(file.path) ??
      (file.source !== "url" ? this.local(`${file.repo}/${file.path}`) : undefined) ??
      this.local(basename(file.path));
    if (local) return this.verify(local, file, "data-dir");
    if (existsSync(target)) return this.verify(target, file, "cache");
    // Already in the Hugging Face hub cache (HF_HUB_CACHE / HF_HOME): used in place, never copied.
    const hub = file.source === "huggingface" ? hfCachedFile(file, this.env) : undefined;
    if (hub) return this.verify(hub, file, "cache");
    const url = remoteUrl(file, this.env);
    if (this.offline) {
      const hub = file.source === "huggingface" ? ` or the Hugging Face cache (${hfHubCacheDir(this.env)})` : "";
      throw new LoomError("DATA_MISSING", `${file.path} is not in the cache${hub} and downloads are off (offline)`, {
        hint: `download ${url} and put it at ${this.dataDir ? join(this.dataDir, file.path) : target}, or pass --data-dir with the official layout`,
      });
    }
    mkdirSync(dirname(target), { recursive: true });
    try {
      await withRetry(() => this.download(url, file, `${target}.part`, signal), {
        ...(this.options.retry ? { policy: this.options.retry } : {}),
        ...(signal ? { signal } : {}),
        onRetry: (info) => this.options.onRetry?.(info),
      });
    } catch (cause) {
      if (cause instanceof LoomError && cause.code === "CHECKSUM") throw cause;
      throw new LoomError("DOWNLOAD", `could not download ${file.path} from ${url}: ${(cause as Error).message}`, {
        cause,
        hint: `put the file at ${target} (or under --data-dir as ${file.path}) and run again`,
      });
    }
    renameSync(`${target}.part`, target);
    return this.verify(target, file, "download");
  }

  private async download(url: string, file: ResolvedRemote, part: string, signal?: AbortSignal): Promise<void> {
    const headers: Record<string, string> = { "user-agent": "loomscope" };
    const env = this.env;
    if (file.source === "huggingface" && env.HF_TOKEN) headers.authorization = `Bearer ${env.HF_TOKEN}`;
    if (file.source === "modelscope" && env.MODELSCOPE_API_TOKEN) headers.authorization = `Bearer ${env.MODELSCOPE_API_TOKEN}`;
    const have = existsSync(part) ? statSync(part).size : 0;
    if (have > 0) headers.range = `bytes=${have}-`;
    const response = await (this.options.fetch ?? globalThis.fetch)(url, {
      headers,
      redirect: "follow",
      ...(signal ? { signal } : {}),
    });
    if (response.status === 416 && have > 0) {
      // Our part is already whole (or stale): start over.
      rmSync(part, { force: true });
      throw new BackendRequestError("range not satisfiable; restarting the download", { status: 416, retryable: true, retryAfterMs: 0 });
    }
    if (!response.ok || !response.body) {
      const retryable = response.status === 429 || response.status >= 500;
      const hint =
        response.status === 401 || response.status === 403
          ? "the file needs access: set HF_TOKEN (or MODELSCOPE_API_TOKEN) in the environment"
          : undefined;
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      throw new BackendRequestError(`HTTP ${response.status} for ${url}`, {
        status: response.status,
        retryable,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        ...(hint ? { hint } : {}),
      });
    }
    const append = have > 0 && response.status === 206;
    const lengthHeader = Number(response.headers.get("content-length"));
    const total = Number.isFinite(lengthHeader) && lengthHeader > 0 ? lengthHeader + (append ? have : 0) : undefined;
    let bytes = append ? have : 0;
    const onProgress = this.options.onProgress;
    const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
    if (onProgress) {
      body.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        onProgress({ file: file.path, bytes, total });
      });
    }
    await pipeline(body, createWriteStream(part, { flags: append ? "a" : "w" }));
    const size = statSync(part).size;
    if (total !== undefined && size !== total) {
      throw new BackendRequestError(`download of ${file.path} stopped at ${size} of ${total} bytes`, { retryable: true });
    }
    if (file.size !== undefined && size !== file.size) {
      rmSync(part, { force: true });
      throw new LoomError("CHECKSUM", `${file.path} has ${size} bytes, expected ${file.size}`);
    }
    if (file.sha256) {
      const digest = await hashFile(part);
      if (digest !== file.sha256.toLowerCase()) {
        rmSync(part, { force: true });
        throw new LoomError("CHECKSUM", `downloaded ${file.path} has sha256 ${digest}, expected ${file.sha256}`);
      }
    }
  }
}

