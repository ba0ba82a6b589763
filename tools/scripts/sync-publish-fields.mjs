// Fills in the publishing fields of every published package (tools/scripts/publish-fields.cjs) and
// copies the root LICENSE into it. `--check` changes nothing and exits 1 when something is out of
// date (the publishing test runs the same check).
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { withPublishFields, isPublished } = require("./publish-fields.cjs");

/** Published workspace packages: `{ dir, pkg }`, dir relative to the root. */
export function publishedPackages(root) {
  const { workspaces } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const dirs = workspaces.flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return [pattern];
    const base = pattern.slice(0, -2);
    return existsSync(join(root, base)) ? readdirSync(join(root, base)).map((name) => `${base}/${name}`) : [];
  });
  return dirs
    .filter((dir) => existsSync(join(root, dir, "package.json")))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) }))
    .filter(({ pkg }) => isPublished(pkg));
}

/** What is out of date; with `write`, fixes it. */
export function syncPublishFields(root, { write }) {
  const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const license = readFileSync(join(root, "LICENSE"), "utf8");
  const stale = [];
  for (const { dir, pkg } of publishedPackages(root)) {
    const file = join(root, dir, "package.json");
    const wanted = JSON.stringify(withPublishFields(pkg, dir, rootPkg), null, 2) + "\n";
    if (readFileSync(file, "utf8") !== wanted) {
      stale.push(`${dir}/package.json`);
      if (write) writeFileSync(file, wanted);
    }
    const licenseFile = join(root, dir, "LICENSE");
    if (!existsSync(licenseFile) || readFileSync(licenseFile, "utf8") !== license) {
      stale.push(`${dir}/LICENSE`);
      if (write) copyFileSync(join(root, "LICENSE"), licenseFile);
    }
  }
  return stale;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const check = process.argv.includes("--check");
  const stale = syncPublishFields(root, { write: !check });
  for (const s of stale) console.log(`${check ? "out of date" : "updated"}: ${s}`);
  if (check && stale.length > 0) process.exitCode = 1;
}
