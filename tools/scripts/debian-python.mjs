// BAMBOO's private_eval tests run model-written programs under Debian's python3 with Debian's numpy
// and pandas (the versions its parity fixture was made with: python3-numpy 1.24, python3-pandas
// 1.5 on Debian 12). `npm test` calls `ensureDebianPython` first: when an import fails it installs
// the two packages where it can, and otherwise stops at once with the one command to run.
import { spawnSync } from "node:child_process";
import { aptInstall, isExecutable } from "./apt.mjs";

/** The interpreter the tests use: LOOM_DEBIAN_PYTHON moves it (tools/test/run-tests.test.ts). */
export const debianPython = (env = process.env) => env.LOOM_DEBIAN_PYTHON || "/usr/bin/python3";
export const PYTHON_MODULES = ["numpy", "pandas"];
export const PYTHON_PACKAGES = ["python3-numpy", "python3-pandas"];

const imports = (python, env) =>
  isExecutable(python) && spawnSync(python, ["-c", `import ${PYTHON_MODULES.join(", ")}`], { env, stdio: "ignore", timeout: 60_000 }).status === 0;

/** Returns `{ ok: true, path, installed }` or `{ ok: false, message }`. */
export function ensureDebianPython({ env = process.env, log = (line) => console.error(line) } = {}) {
  const path = debianPython(env);
  if (imports(path, env)) return { ok: true, path, installed: false };
  const installed = aptInstall(PYTHON_PACKAGES, {
    what: `${path} with ${PYTHON_MODULES.join(" and ")}`,
    need: `BAMBOO's private_eval tests need ${path} importing ${PYTHON_MODULES.join(" and ")}`,
    env,
    log,
  });
  if (!installed.ok) return installed;
  if (!imports(path, env)) {
    return { ok: false, message: `apt-get installed ${PYTHON_PACKAGES.join(" ")}, but ${path} still cannot import ${PYTHON_MODULES.join(", ")}.` };
  }
  return { ok: true, path, installed: true };
}
