// Adds up the vitest JSON reports of every workspace and prints one closing line,
// "N passed, N failed", so the CI log ends with the whole repository's count.
//
// A test file that failed to load or run (an import error, a throwing beforeAll, a crashed worker)
// has no failed test in it: vitest reports it as a failed file with no assertions. Each such file
// counts as one failure and is named, so "0 failed" never hides a file that did not run.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Workspace patterns here are either "dir" or "dir/*". */
function workspaceDirs(root) {
  const { workspaces } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return [pattern];
    const base = pattern.slice(0, -2);
    return existsSync(join(root, base)) ? readdirSync(join(root, base)).map((name) => join(base, name)) : [];
  });
}

/** Counts of one vitest JSON report, with the files that failed without a failed test. */
export function countReport(report) {
  const files = Array.isArray(report.testResults) ? report.testResults : [];
  const brokenFiles = files
    .filter((file) => file.status === "failed" && !(file.assertionResults ?? []).some((a) => a.status === "failed"))
    .map((file) => ({ file: file.name ?? "(unnamed file)", message: String(file.message ?? file.failureMessage ?? "").split("\n")[0] }));
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    brokenFiles,
    // A run that failed with no failed test and no failed file (a crash after collection) still fails.
    unexplained: report.success === false && (report.numFailedTests ?? 0) === 0 && brokenFiles.length === 0,
  };
}

/** The whole repository's counts and the closing lines. */
export function summarize(root) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const missing = [];
  const broken = [];
  const unexplained = [];
  for (const dir of workspaceDirs(root)) {
    const pkgFile = join(root, dir, "package.json");
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
    if (!pkg.scripts?.test) continue;
    const reportFile = join(root, dir, ".test-report.json");
    if (!existsSync(reportFile)) {
      missing.push(pkg.name);
      continue;
    }
    let counts;
    try {
      counts = countReport(JSON.parse(readFileSync(reportFile, "utf8")));
    } catch (error) {
      missing.push(`${pkg.name} (unreadable report: ${error.message})`);
      continue;
    }
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped;
    for (const b of counts.brokenFiles) broken.push({ ...b, file: relative(root, b.file) || b.file, pkg: pkg.name });
    if (counts.unexplained) unexplained.push(pkg.name);
  }
  const totalFailed = failed + broken.length + missing.length + unexplained.length;
  const lines = [];
  for (const b of broken) lines.push(`test file failed to run: ${b.file} (${b.pkg})${b.message ? `: ${b.message}` : ""}`);
  if (unexplained.length > 0) lines.push(`tests failed outside any test or file: ${unexplained.join(", ")}`);
  if (missing.length > 0) lines.push(`no test report from: ${missing.join(", ")}`);
  const extra = [broken.length ? `${broken.length} of them test files that did not run` : "", skipped ? `${skipped} skipped` : ""].filter(Boolean);
  lines.push(`${passed} passed, ${totalFailed} failed${extra.length ? `, ${extra.join(", ")}` : ""}`);
  return { passed, failed: totalFailed, skipped, lines };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.argv[2] ?? fileURLToPath(new URL("../../", import.meta.url));
  const { failed, lines } = summarize(root);
  for (const line of lines) console.log(line);
  process.exitCode = failed > 0 ? 1 : 0;
}
