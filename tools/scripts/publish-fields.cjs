// What every published loomscope package carries in its package.json, in one place: the sync
// script (`node tools/scripts/sync-publish-fields.mjs`), the nx plugin generator and the publishing
// test all use it. The repository URL comes from the root package.json.
"use strict";

const NODE_ENGINE = ">=20.19";
const LICENSE = "Apache-2.0";

/** Keywords of the packages that are not plugins (plugins carry `loomscope-plugin` and their kind). */
const BASE_KEYWORDS = {
  "@loomscope/spec": ["loomscope", "llm", "evaluation", "long-context", "plugin-api", "json-schema", "zod"],
  "@loomscope/core": ["loomscope", "llm", "evaluation", "long-context", "benchmark", "harness", "tokenizer", "truncation"],
  "@loomscope/cli": ["loomscope", "llm", "evaluation", "long-context", "benchmark", "cli", "lveval", "ruler", "niah"],
  "@loomscope/http": ["loomscope", "http", "sse", "ndjson", "retry", "rate-limit"],
  "@loomscope/metrics": ["loomscope", "metrics", "evaluation", "rouge", "f1", "python-compatible"],
  "@loomscope/report": ["loomscope", "report", "html", "leaderboard", "evaluation"],
  "@loomscope/testkit": ["loomscope", "testing", "conformance", "fake-server", "openai", "vllm", "ollama"],
};

/** Keys inserted after "license" when missing, in this order. */
const AFTER_LICENSE = ["keywords", "repository", "engines"];

function keywordsFor(pkg) {
  const existing = Array.isArray(pkg.keywords) ? pkg.keywords : [];
  const wanted = pkg.loomscope ? ["loomscope-plugin", "loomscope", pkg.loomscope.kind] : (BASE_KEYWORDS[pkg.name] ?? ["loomscope"]);
  return [...new Set([...existing, ...wanted])];
}

/**
 * The package.json of a publishable package with the publishing fields filled in. Existing keys keep
 * their order (so diffs stay small); missing ones go after "license".
 * @param {Record<string, any>} pkg the package.json
 * @param {string} dir the package's folder relative to the repository root, e.g. "packages/core"
 * @param {Record<string, any>} rootPkg the root package.json (for the repository URL)
 */
function withPublishFields(pkg, dir, rootPkg) {
  const url = rootPkg.repository && (typeof rootPkg.repository === "string" ? rootPkg.repository : rootPkg.repository.url);
  if (!url) throw new Error("the root package.json has no repository.url");
  const fields = {
    license: LICENSE,
    keywords: keywordsFor(pkg),
    repository: { type: "git", url, directory: dir },
    engines: { ...(pkg.engines ?? {}), node: NODE_ENGINE },
  };
  const out = {};
  const put = (key, value) => {
    out[key] = value;
  };
  for (const [key, value] of Object.entries(pkg)) {
    if (key in fields) put(key, fields[key]);
    else if (key === "exports") put(key, typeof value === "object" && value !== null && !("./package.json" in value) ? { ...value, "./package.json": "./package.json" } : value);
    else if (key === "files") put(key, value.includes("LICENSE") ? value : [...value, "LICENSE"]);
    else if (key === "scripts") {
      const scripts = {};
      for (const [name, command] of Object.entries(value)) {
        scripts[name] = command;
        if (name === "build" && !("prepack" in value)) scripts.prepack = prepackScript(pkg.name);
      }
      if (!("prepack" in scripts)) scripts.prepack = prepackScript(pkg.name);
      put(key, scripts);
    } else put(key, value);
    if (key === "license") for (const extra of AFTER_LICENSE) if (!(extra in pkg)) put(extra, fields[extra]);
  }
  for (const extra of ["license", ...AFTER_LICENSE]) if (!(extra in out)) put(extra, fields[extra]);
  return out;
}

/** `npm pack` / `npm publish` build the package and what it depends on first (turbo: cached when fresh). */
const prepackScript = (name) => `turbo run build --filter=${name}... --output-logs=errors-only`;

/** Whether a workspace folder holds a package that is published (not private). */
const isPublished = (pkg) => pkg.private !== true;

module.exports = { withPublishFields, prepackScript, isPublished, NODE_ENGINE, LICENSE, BASE_KEYWORDS };
