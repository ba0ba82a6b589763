// Runs every benchmark script in this folder, one after another, and prints their figures.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const scripts = ["truncation.mjs", "harness-throughput.mjs", "memory-stream.mjs", "lveval.mjs", "rag.mjs", "report.mjs", "generators.mjs", "engine-sparse.mjs", "kv-decode.mjs", "llamacpp.mjs", "faults.mjs", "schedule.mjs"];
for (const script of scripts) {
  console.log(`\n## ${script}`);
  const result = spawnSync(process.execPath, [script], { cwd: here, stdio: "inherit" });
  if (result.status !== 0) process.exitCode = 1;
}
