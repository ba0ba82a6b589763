#!/usr/bin/env node
/**
 * Completes a LOOMBench lock from a downloaded snapshot of the dataset at the lock's revision:
 * each pinned file's sha256, and the sample ids each unit's rows yield as the installed member reads
 * them (its own record schema and filters), as `ids` (or `idsByLength` when one file holds every
 * length of a task). Files the snapshot lacks are listed and the script exits 1.
 *
 *   node plugins/suites/loombench/scripts/lock.mjs <snapshot-dir> [--lock in.json] [--out lock.json]
 *
 * `<snapshot-dir>` holds the dataset's folders (`L_CiteEval/…`, `LongBench/…`), e.g. what
 * `huggingface-cli download LCM-Lab/LOOMBench --repo-type dataset --revision <rev> --local-dir <dir>`
 * writes. Members are loaded from the working directory's installed plugins.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PluginRegistry, createDataAccess } from "@loomscope/core";
import { LOOMBENCH_LOCK, readLock } from "@loomscope/suite-loombench";

const sha256File = (path) =>
  new Promise((done, fail) => {
    const hash = createHash("sha256");
    createReadStream(path).on("data", (d) => hash.update(d)).on("end", () => done(hash.digest("hex"))).on("error", fail);
  });

const idsPin = (ids) => ({ count: ids.length, sha256: createHash("sha256").update(ids.join("\n")).digest("hex") });

/** Complete `lock` from `snapshot`; returns the completed lock and the paths the snapshot lacks. */
export async function completeLock(lock, snapshot, options = {}) {
  const registry = options.registry ?? new PluginRegistry({ cwd: options.cwd ?? process.cwd() });
  const data = createDataAccess({ cacheDir: mkdtempSync(join(tmpdir(), "loombench-lock-")), dataDir: snapshot, offline: true });
  const missing = [];
  const members = [];
  for (const member of lock.members) {
    if (member.files === "generated" || member.files.length === 0) {
      members.push(member);
      continue;
    }
    const benchmark0 = await registry.load("benchmark", member.benchmark);
    const benchmark = benchmark0.configure ? benchmark0.configure({ protocol: member.protocol ?? "official", options: {} }) : benchmark0;
    const files = [];
    for (const f of member.files) {
      const path = join(snapshot, f.path);
      if (!existsSync(path)) {
        missing.push(f.path);
        files.push(f);
        continue;
      }
      const sha256 = await sha256File(path);
      const pin = { task: f.task, ...(f.length ? { length: f.length } : {}), file: { source: lock.source, repo: lock.repo, revision: lock.revision, path: f.path, sha256 } };
      const task = benchmark.tasks.find((t) => t.id === f.task);
      const lengths = f.length ? [f.length] : task.lengths.length ? task.lengths.filter((l) => !member.lengths || member.lengths.includes(l)) : [undefined];
      const byLength = {};
      for (const length of lengths) {
        const ctx = { cacheDir: tmpdir(), data, seed: 0, options: {}, protocol: member.protocol ?? "official", pinnedData: [pin], signal: new AbortController().signal, log: () => {}, reportDataIssue: (i) => console.error(`${i.file}:${i.line ?? ""}: ${i.message}`), recordProvenance: () => {} };
        const request = { task: f.task, ...(length ? { length } : {}) };
        const ids = [];
        if (benchmark.handles) for await (const h of benchmark.handles(request, ctx)) ids.push(h.id);
        else for await (const s of benchmark.samples(request, ctx)) ids.push(s.id);
        byLength[length ?? ""] = idsPin(ids);
      }
      const { ids: _i, idsByLength: _l, ...rest } = f;
      files.push({ ...rest, sha256, ...(f.length || lengths[0] === undefined ? { ids: Object.values(byLength)[0] } : { idsByLength: byLength }) });
    }
    members.push({ ...member, files });
  }
  return { lock: { ...lock, members }, missing };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const flag = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const inLock = flag("--lock");
  const out = flag("--out");
  const snapshot = args[0];
  if (!snapshot) {
    console.error("usage: lock.mjs <snapshot-dir> [--lock in.json] [--out lock.json]");
    process.exit(2);
  }
  const { lock, missing } = await completeLock(inLock ? readLock(resolve(inLock)) : LOOMBENCH_LOCK, resolve(snapshot));
  const text = JSON.stringify(lock, null, 2) + "\n";
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  if (missing.length) {
    console.error(`the snapshot lacks ${missing.length} pinned file(s):\n${missing.map((p) => `  ${p}`).join("\n")}`);
    process.exit(1);
  }
}
