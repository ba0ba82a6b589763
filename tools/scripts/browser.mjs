// The report's browser tests drive a real headless Chromium: Debian's package, never a browser
// downloaded from elsewhere. `npm test` calls `ensureChromium` first: when the browser is missing
// it installs Debian's package where it can (root, or passwordless sudo, with apt-get), and
// otherwise stops at once with the one command to run.
import { aptInstall, isExecutable, onPath } from "./apt.mjs";

export { onPath };

/**
 * Where the browser tests look for Chromium: LOOM_CHROMIUM (test/browser/helpers.ts reads it too),
 * else where Debian's package puts it. LOOM_DEBIAN_CHROMIUM moves that place; the CI check that
 * hides the browser (tools/test/run-tests.test.ts) uses it, nobody else needs it.
 */
export const debianChromium = (env = process.env) => env.LOOM_DEBIAN_CHROMIUM || "/usr/bin/chromium";
export const chromiumPath = (env = process.env) => env.LOOM_CHROMIUM || debianChromium(env);

export const INSTALL_COMMAND = "apt-get update && apt-get install -y --no-install-recommends chromium";

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
  const installed = aptInstall(["chromium"], {
    what: "Chromium",
    need: `The report's browser tests need Chromium at ${path}`,
    env,
    log: (line) => log(line.replace(/^Chromium is missing:/, `Chromium is missing at ${path}:`)),
    hintElsewhere: "; elsewhere install Chromium and set LOOM_CHROMIUM=/path/to/chromium",
  });
  if (!installed.ok) return installed;
  if (!isExecutable(path)) {
    return { ok: false, message: `apt-get installed chromium, but ${path} is still missing. Set LOOM_CHROMIUM to the chromium binary.` };
  }
  return { ok: true, path, installed: true };
}
