import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractZip, readLines, zipEntries } from "../src/data/archive.js";
import { Downloader, remoteUrl, safeRelativePath } from "../src/data/download.js";
import { hfHubCacheDir } from "../src/data/hf-cache.js";
import { RemoteFileSchema } from "@loomscope/spec";
import { writeZip } from "../src/data/zip-writer.js";

const tmp = () => mkdtempSync(join(tmpdir(), "loom-data-"));
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

describe("Downloader", () => {
  const payload = Buffer.from("x".repeat(50_000) + "end");
  let server: Server;
  let base = "";
  const seen: { url: string; range?: string; auth?: string }[] = [];
  let failFirst = 0;
  let cutAt: number | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? "", ...(req.headers.range ? { range: req.headers.range } : {}), ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      if (failFirst > 0) {
        failFirst--;
        res.writeHead(503, { "retry-after": "0" }).end("busy");
        return;
      }
      if (req.url?.includes("missing")) return void res.writeHead(404).end("nope");
      const range = /bytes=(\d+)-/.exec(req.headers.range ?? "");
      const start = range ? Number(range[1]) : 0;
      const body = payload.subarray(start);
      res.writeHead(range ? 206 : 200, { "content-length": String(body.length) });
      if (cutAt !== undefined) {
        // Send part of the body, then drop the connection (a network failure mid-download).
        res.write(body.subarray(0, cutAt));
        cutAt = undefined;
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it("builds Hugging Face and ModelScope URLs honouring HF_ENDPOINT", () => {
    const hf = RemoteFileSchema.parse({ source: "huggingface", repo: "Infinigence/LVEval", path: "hotpotwikiqa_mixup.zip" });
    expect(remoteUrl(hf, { HF_ENDPOINT: "https://mirror.example/" })).toBe(
      "https://mirror.example/datasets/Infinigence/LVEval/resolve/main/hotpotwikiqa_mixup.zip",
    );
    const ms = RemoteFileSchema.parse({ source: "modelscope", repo: "org/data", path: "a/b.zip" });
    expect(remoteUrl(ms, {})).toBe("https://www.modelscope.cn/api/v1/datasets/org/data/repo?Revision=master&FilePath=a%2Fb.zip");
  });

  it("downloads through HF_ENDPOINT with HF_TOKEN, checks the checksum, then serves from cache", async () => {
    const cacheDir = tmp();
    const d = new Downloader({ cacheDir, env: { HF_ENDPOINT: base, HF_TOKEN: "hf_secret" }, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    const file = { source: "huggingface" as const, repo: "org/ds", path: "data.zip", sha256: sha(payload) };
    const first = await d.fetch(file);
    expect(first.origin).toBe("download");
    expect(readFileSync(first.path)).toEqual(payload);
    expect(seen.at(-1)).toMatchObject({ url: "/datasets/org/ds/resolve/main/data.zip", auth: "Bearer hf_secret" });
    const count = seen.length;
    const second = await d.fetch(file);
    expect(second).toMatchObject({ origin: "cache", sha256: sha(payload), path: first.path });
    expect(seen.length).toBe(count);
  });

  it("retries a 503 and resumes a cut download with a Range request", async () => {
    const d = new Downloader({ cacheDir: tmp(), env: {}, retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 } });
    failFirst = 1;
    cutAt = 20_000;
    const before = seen.length;
    const got = await d.fetch({ source: "url", url: `${base}/file.bin`, path: "file.bin", sha256: sha(payload) });
    expect(readFileSync(got.path)).toEqual(payload);
    const requests = seen.slice(before);
    expect(requests.length).toBe(3);
    expect(requests[2]!.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(requests[2]!.range!)![0])).toBeGreaterThan(0);
  });

  it("rejects a checksum mismatch and keeps nothing", async () => {
    const cacheDir = tmp();
    const d = new Downloader({ cacheDir, env: {}, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(d.fetch({ source: "url", url: `${base}/x`, path: "x.bin", sha256: "0".repeat(64) })).rejects.toThrow(/sha256/);
  });

  it("prefers --data-dir, and offline says which file is missing and where to put it", async () => {
    const dataDir = tmp();
    writeFileSync(join(dataDir, "local.zip"), "local");
    const d = new Downloader({ cacheDir: tmp(), dataDir, env: {}, offline: true });
    const got = await d.fetch({ source: "huggingface", repo: "org/ds", path: "local.zip" });
    expect(got.origin).toBe("data-dir");
    const error = await d.fetch({ source: "huggingface", repo: "org/ds", path: "absent.zip" }).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/absent\.zip is not in the cache/);
    expect((error as { hint: string }).hint).toContain(join(dataDir, "absent.zip"));
  });

  it("writes nothing into --data-dir: the hash memo lives in the cache, keyed by the file's path", async () => {
    const dataDir = tmp();
    writeFileSync(join(dataDir, "local.jsonl"), "{}\n");
    const cacheDir = tmp();
    const d = new Downloader({ cacheDir, dataDir, env: {}, offline: true });
    const first = await d.fetch({ source: "huggingface", repo: "org/ds", path: "local.jsonl", sha256: sha("{}\n") });
    expect(first).toMatchObject({ origin: "data-dir", path: join(dataDir, "local.jsonl") });
    expect(readdirSync(dataDir)).toEqual(["local.jsonl"]);
    const memos = readdirSync(join(cacheDir, "hashes"));
    expect(memos).toHaveLength(1);
    expect(readFileSync(join(cacheDir, "hashes", memos[0]!), "utf8")).toContain(`${sha("{}\n")} ${join(dataDir, "local.jsonl")}`);
    // The memo is used: a second Downloader (a new run) answers from it without hashing again.
    const memo = join(cacheDir, "hashes", memos[0]!);
    writeFileSync(memo, readFileSync(memo, "utf8").replace(sha("{}\n"), "f".repeat(64)));
    const again = new Downloader({ cacheDir, dataDir, env: {}, offline: true });
    expect((await again.fetch({ source: "huggingface", repo: "org/ds", path: "local.jsonl" })).sha256).toBe("f".repeat(64));
    expect(readdirSync(dataDir)).toEqual(["local.jsonl"]);
  });

  it("uses files already in the Hugging Face hub cache in place (HF_HOME, HF_HUB_CACHE, refs and commits)", async () => {
    // The hub cache layout: blobs/<etag>, snapshots/<commit>/<path> → ../../blobs/<etag>, refs/<branch> = <commit>.
    const hfHome = tmp();
    const commit = "0123456789abcdef0123456789abcdef01234567";
    const repoDir = join(hfHome, "hub", "datasets--THUDM--LongBench");
    const content = '{"q": 1}\n';
    mkdirSync(join(repoDir, "blobs"), { recursive: true });
    writeFileSync(join(repoDir, "blobs", sha(content)), content);
    mkdirSync(join(repoDir, "snapshots", commit, "data"), { recursive: true });
    symlinkSync(join("..", "..", "..", "blobs", sha(content)), join(repoDir, "snapshots", commit, "data", "qa.jsonl"));
    mkdirSync(join(repoDir, "refs"));
    writeFileSync(join(repoDir, "refs", "main"), commit);
    const cacheDir = tmp();
    const file = { source: "huggingface" as const, repo: "THUDM/LongBench", path: "data/qa.jsonl", sha256: sha(content) };
    const d = new Downloader({ cacheDir, env: { HF_HOME: hfHome }, offline: true });
    const got = await d.fetch(file);
    expect(got).toMatchObject({ origin: "cache", sha256: sha(content), bytes: content.length });
    expect(got.path).toBe(join(repoDir, "snapshots", commit, "data", "qa.jsonl")); // in place
    expect(existsSync(join(cacheDir, "data"))).toBe(false); // nothing copied, nothing downloaded
    expect(readdirSync(join(repoDir, "snapshots", commit, "data"))).toEqual(["qa.jsonl"]); // nothing written there
    // A pinned commit needs no ref; HF_HUB_CACHE wins over HF_HOME.
    const byCommit = new Downloader({ cacheDir: tmp(), env: { HF_HUB_CACHE: join(hfHome, "hub"), HF_HOME: "/nonexistent" }, offline: true });
    expect((await byCommit.fetch({ ...file, revision: commit })).path).toBe(got.path);
    // Models live under models--…; another branch with no ref is not there.
    await expect(d.fetch({ ...file, revision: "v2" })).rejects.toThrow(/not in the cache or the Hugging Face cache \(.*hub\) and downloads are off/);
    await expect(d.fetch({ ...file, repoType: "model" })).rejects.toMatchObject({ code: "DATA_MISSING" });
    // A file in the hub cache is still checked against the expected checksum.
    await expect(d.fetch({ ...file, sha256: "0".repeat(64) })).rejects.toMatchObject({ code: "CHECKSUM" });
    expect(hfHubCacheDir({ XDG_CACHE_HOME: "/x" })).toBe("/x/huggingface/hub");
    expect(hfHubCacheDir({ HOME: "/home/u" })).toBe("/home/u/.cache/huggingface/hub");
  });

  it("a 404 fails with the URL and where to put the file", async () => {
    const d = new Downloader({ cacheDir: tmp(), env: {}, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = (await d.fetch({ source: "url", url: `${base}/missing`, path: "m.bin" }).catch((e: unknown) => e)) as Error & { hint: string };
    expect(error.message).toMatch(/HTTP 404/);
    expect(error.hint).toMatch(/put the file at/);
  });
});

describe("archives and lines", () => {
  it("streams zip entries and extracts them", async () => {
    const dir = tmp();
    const zip = join(dir, "a.zip");
    writeZip(zip, { "LVEval/a.jsonl": '{"x":1}\n{"x":2}\n', "b.txt": "hello" });
    const names: string[] = [];
    for await (const entry of zipEntries(zip)) {
      names.push(entry.name);
      if (entry.name.endsWith(".jsonl")) {
        const lines: string[] = [];
        for await (const l of readLines(await entry.open())) lines.push(`${l.line}:${l.text}`);
        expect(lines).toEqual(['1:{"x":1}', '2:{"x":2}']);
      }
    }
    expect(names).toEqual(["LVEval/a.jsonl", "b.txt"]);
    const out = join(dir, "out");
    const written = await extractZip(zip, out);
    expect(written.length).toBe(2);
    expect(readFileSync(join(out, "b.txt"), "utf8")).toBe("hello");
  });

  it("refuses entries that escape the target directory (zip slip)", async () => {
    const dir = tmp();
    const zip = join(dir, "evil.zip");
    writeZip(zip, { "../../evil.txt": "pwned" });
    mkdirSync(join(dir, "out"));
    await expect(extractZip(zip, join(dir, "out"))).rejects.toThrow(/escape|invalid relative path|refusing/i);
    expect(existsSync(join(dir, "evil.txt"))).toBe(false);
    expect(() => safeRelativePath("/etc/passwd")).toThrow();
    expect(() => safeRelativePath("a/../../b")).toThrow();
    expect(safeRelativePath("a/./b")).toBe("a/b");
  });
});
