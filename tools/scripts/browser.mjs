// The report's browser tests drive a real headless Chromium: Debian's package, never a browser
// downloaded from elsewhere. `npm test` calls `ensureChromium` first: when the browser is missing
// it installs Debian's package where it can (root, or passwordless sudo, with apt-get), and
// otherwise stops at once with the one command to run.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Where the browser tests look for Chromium: LOOM_CHROMIUM (test/browser/helpers.ts reads it too),
 * else where Debian's package puts it. LOOM_DEBIAN_CHROMIUM moves that place; the CI check that
 * hides the browser (tools/test/run-tests.test.ts) uses it, nobody else needs it.
 */
export const debianChromium = (env = process.env) => env.LOOM_DEBIAN_CHROMIUM || "/usr/bin/chromium";
export const chromiumPath = (env = process.env) => env.LOOM_CHROMIUM || debianChromium(env);

export const INSTALL_COMMAND = "apt-get update && apt-get install -y --no-install-recommends chromium";

const isExecutable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first executable `name` on PATH, as a shell would find it. */
export function onPath(name, env = process.env) {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * Make sure Chromium is there. Returns `{ ok: true, path, installed }` or `{ ok: false, message }`;
 * `log` receives progress lines.
 */
export function ensureChromium({ env = process.env, log = (line) => console.error(line) } = {}) {
  const path = chromiumPath(env);
  if (isExecutable(path)) return { ok: true, path, installed: false };
  if (env.LOOM_CHROMIUM) {
    return { ok: false, message: `LOOM_CHROMIUM is set to ${path}, which is not an executable file. Point it at a chromium binary, or unset it to use Debian's /usr/bin/chromium.` };
  }
  const aptGet = onPath("apt-get", env);
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const sudo = root ? undefined : onPath("sudo", env);
  const sudoWorks = sudo !== undefined && spawnSync(sudo, ["-n", "true"], { env, stdio: "ignore" }).status === 0;
  const prefix = root ? "" : "sudo ";
  const manual = `${prefix}apt-get update && ${prefix}apt-get install -y --no-install-recommends chromium`;
  if (!aptGet || (!root && !sudoWorks)) {
    const why = !aptGet ? "apt-get is not available here" : "installing needs root (and sudo asks for a password)";
    return {
      ok: false,
      message:
        `The report's browser tests need Chromium at ${path}, and ${why}. Install it, then run npm test again:\n` +
        `  ${aptGet ? manual : `${manual}   (Debian/Ubuntu; elsewhere install Chromium and set LOOM_CHROMIUM=/path/to/chromium)`}`,
    };
  }
  log(`Chromium is missing at ${path}: installing Debian's package (${INSTALL_COMMAND})`);
  const run = (args) => {
    const [command, commandArgs] = root ? [aptGet, args] : [sudo, ["-n", aptGet, ...args]];
    return spawnSync(command, commandArgs, { env: { ...env, DEBIAN_FRONTEND: "noninteractive" }, stdio: ["ignore", "inherit", "inherit"] }).status === 0;
  };
  if (!run(["update"]) || !run(["install", "-y", "--no-install-recommends", "chromium"])) {
    return { ok: false, message: `Installing Chromium with apt-get failed (see above). Install it yourself, then run npm test again:\n  ${manual}` };
  }
  if (!isExecutable(path)) {
    return { ok: false, message: `apt-get installed chromium, but ${path} is still missing. Set LOOM_CHROMIUM to the chromium binary.` };
  }
  return { ok: true, path, installed: true };
}
