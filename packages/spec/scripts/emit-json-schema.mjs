// Writes the result schemas as JSON Schema files next to the compiled package (schema/*.json).
import { mkdirSync, writeFileSync } from "node:fs";
import { z } from "zod";
import * as spec from "../dist/v1/index.js";

const out = new URL("../schema/", import.meta.url);
mkdirSync(out, { recursive: true });
const schemas = {
  "plugin-manifest.v1.json": spec.PluginManifestSchema,
  "sample-record.v1.json": spec.SampleRecordSchema,
  "run-manifest.v1.json": spec.RunManifestSchema,
  "run-results.v1.json": spec.RunResultsSchema,
  "prompt-parts.v1.json": spec.PromptPartsSchema,
  "suite-entry.v1.json": spec.SuiteEntrySchema,
};
for (const [file, schema] of Object.entries(schemas)) {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  writeFileSync(new URL(file, out), JSON.stringify(json, null, 2) + "\n");
}

// The directive catalogue: each `<accelerator>:<method>` with the JSON Schema of the params a backend receives.
const directives = {};
for (const definition of Object.values(spec.DIRECTIVE_CATALOGUE)) {
  for (const [method, schema] of Object.entries(definition.methods)) {
    directives[`${definition.accelerator}:${method}`] = z.toJSONSchema(schema, { io: "input" });
  }
}
writeFileSync(new URL("directives.v1.json", out), JSON.stringify({ description: "loomscope directive catalogue v1: params as a backend receives them", directives }, null, 2) + "\n");

