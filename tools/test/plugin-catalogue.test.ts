// Core's first-party plugin catalogue is generated from the plugin packages' manifests (core's
// build runs tools/scripts/plugin-catalogue.mjs); the committed file must be what it would write.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CATALOGUE_FILE, catalogueEntries, renderCatalogue } from "../scripts/plugin-catalogue.mjs";
import { publishedPackages } from "../scripts/sync-publish-fields.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("the first-party plugin catalogue", () => {
  it("is current: core's catalogue.ts is what the generator writes from the manifests", () => {
    expect(readFileSync(join(ROOT, CATALOGUE_FILE), "utf8")).toBe(renderCatalogue(ROOT));
  });

  it("lists every published plugin package once, with its manifest's kind and id", () => {
    const entries = catalogueEntries(ROOT) as { kind: string; id: string; package: string }[];
    const plugins = (publishedPackages(ROOT) as { pkg: { name: string; loomscope?: { kind: string; id: string } } }[]).filter((p) => p.pkg.loomscope);
    expect(entries.map((e) => e.package).sort()).toEqual(plugins.map((p) => p.pkg.name).sort());
    for (const { pkg } of plugins) expect(entries).toContainEqual(expect.objectContaining({ kind: pkg.loomscope!.kind, id: pkg.loomscope!.id, package: pkg.name }));
    expect(entries).toContainEqual(expect.objectContaining({ kind: "backend", id: "engine", package: "@loomscope/backend-engine" }));
    expect(entries.some((e) => e.package === "@loomscope/engine"), "the engine library is no plugin").toBe(false);
  });

  it("core's build regenerates it", () => {
    const core = JSON.parse(readFileSync(join(ROOT, "packages/core/package.json"), "utf8")) as { scripts: { build: string } };
    expect(core.scripts.build).toMatch(/^node \.\.\/\.\.\/tools\/scripts\/plugin-catalogue\.mjs && /);
  });
});
