// Installing Debian packages for `npm test` (Chromium for the report's browser tests, python3-numpy
// and python3-pandas for BAMBOO's private_eval tests): with apt-get as root, or with passwordless
// sudo; otherwise a message with the one command to run. Never anything from outside Debian.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export const isExecutable = (file) => {
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
 * `apt-get update && apt-get install -y --no-install-recommends <packages>`. `what` names the thing
 * for the messages ("Chromium"), `need` says what needs it. Returns `{ ok: true }` or
 * `{ ok: false, message }`; `hintElsewhere` is added to the command where apt-get is missing.
 */
export function aptInstall(packages, { what, need, env = process.env, log = (line) => console.error(line), hintElsewhere = "" }) {
  const aptGet = onPath("apt-get", env);
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const sudo = root ? undefined : onPath("sudo", env);
  const sudoWorks = sudo !== undefined && spawnSync(sudo, ["-n", "true"], { env, stdio: "ignore" }).status === 0;
  const prefix = root ? "" : "sudo ";
  const list = packages.join(" ");
  const manual = `${prefix}apt-get update && ${prefix}apt-get install -y --no-install-recommends ${list}`;
  if (!aptGet || (!root && !sudoWorks)) {
    const why = !aptGet ? "apt-get is not available here" : "installing needs root (and sudo asks for a password)";
    return {
      ok: false,
      message: `${need}, and ${why}. Install it, then run npm test again:\n  ${aptGet ? manual : `${manual}   (Debian/Ubuntu${hintElsewhere})`}`,
    };
  }
  log(`${what} is missing: installing Debian's ${packages.length > 1 ? "packages" : "package"} (apt-get install -y --no-install-recommends ${list})`);
  const run = (args) => {
    const [command, commandArgs] = root ? [aptGet, args] : [sudo, ["-n", aptGet, ...args]];
    return spawnSync(command, commandArgs, { env: { ...env, DEBIAN_FRONTEND: "noninteractive" }, stdio: ["ignore", "inherit", "inherit"] }).status === 0;
  };
  if (!run(["update"]) || !run(["install", "-y", "--no-install-recommends", ...packages])) {
    return { ok: false, message: `Installing ${what} with apt-get failed (see above). Install it yourself, then run npm test again:\n  ${manual}` };
  }
  return { ok: true };
}
