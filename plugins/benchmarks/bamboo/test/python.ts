import { spawnSync } from "node:child_process";

/**
 * The interpreter the private_eval fixtures were made with: Debian's python3 with Debian's numpy and
 * pandas (`npm test` installs python3-numpy and python3-pandas when they are missing). Without them
 * every program that imports numpy fails, so the tests stop at once with the command to run instead
 * of reporting "passed" / "failed: No module named 'numpy'" mismatches.
 */
export const DEBIAN_PYTHON = process.env["LOOM_DEBIAN_PYTHON"] ?? "/usr/bin/python3";

export function requireDebianPython(): void {
  const run = spawnSync(DEBIAN_PYTHON, ["-c", "import numpy, pandas"], { stdio: "ignore", timeout: 60_000 });
  if (run.status !== 0) {
    throw new Error(
      `BAMBOO's private_eval tests need ${DEBIAN_PYTHON} importing numpy and pandas (Debian's packages, as the fixtures were made): apt-get install -y --no-install-recommends python3-numpy python3-pandas (npm test does this)`,
    );
  }
}
