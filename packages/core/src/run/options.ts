/**
 * Benchmark options, parsed once before the run against what the benchmark declares: an unknown
 * or invalid option is a usage error naming the option, the allowed values and the nearest name.
 */
import { LoomError, type JsonObject, type JsonValue, type OptionSpec } from "@loomscope/spec";
import { didYouMean } from "@loomscope/metrics";

/** One line describing an option, for errors and `loom describe`. */
export function describeOption(name: string, spec: OptionSpec): string {
  const values = "values" in spec && spec.values ? ` (one of ${spec.values.join(", ")})` : "";
  const range = spec.type === "number" || spec.type === "integer" || spec.type === "number[]" ? `${spec.min !== undefined ? ` ≥ ${spec.min}` : ""}${spec.max !== undefined ? ` ≤ ${spec.max}` : ""}` : "";
  const def = spec.default !== undefined ? `, default ${JSON.stringify(spec.default)}` : "";
  return `${name}: ${spec.type}${range}${values}${def} — ${spec.description}`;
}

function check(benchmark: string, name: string, spec: OptionSpec, value: JsonValue): JsonValue {
  const fail = (why: string) =>
    new LoomError("USAGE", `${benchmark} option ${name}: ${why}`, { hint: describeOption(name, spec) });
  switch (spec.type) {
    case "string":
      if (typeof value !== "string") throw fail(`expected a string, got ${JSON.stringify(value)}`);
      if (spec.values && !spec.values.includes(value)) throw fail(`"${value}" is not allowed${didYouMean(value, spec.values)}`);
      return value;
    case "number":
    case "integer": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isFinite(n)) throw fail(`expected a number, got ${JSON.stringify(value)}`);
      if (spec.type === "integer" && !Number.isInteger(n)) throw fail(`expected an integer, got ${n}`);
      if (spec.min !== undefined && n < spec.min) throw fail(`${n} is below ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) throw fail(`${n} is above ${spec.max}`);
      return n;
    }
    case "boolean":
      if (value === "true" || value === "false") return value === "true";
      if (typeof value !== "boolean") throw fail(`expected true or false, got ${JSON.stringify(value)}`);
      return value;
    case "string[]": {
      const items = typeof value === "string" ? value.split(",").map((s) => s.trim()).filter(Boolean) : value;
      if (!Array.isArray(items) || !items.every((x) => typeof x === "string")) throw fail(`expected a list of strings, got ${JSON.stringify(value)}`);
      for (const item of items as string[]) {
        if (spec.values && !spec.values.includes(item)) throw fail(`"${item}" is not allowed${didYouMean(item, spec.values)}`);
      }
      return items;
    }
    case "number[]": {
      const items = typeof value === "string" ? value.split(",").map((s) => s.trim()).filter(Boolean).map(Number) : value;
      if (!Array.isArray(items) || !items.every((x) => typeof x === "number" && Number.isFinite(x))) throw fail(`expected a list of numbers, got ${JSON.stringify(value)}`);
      for (const n of items as number[]) {
        if (spec.min !== undefined && n < spec.min) throw fail(`${n} is below ${spec.min}`);
        if (spec.max !== undefined && n > spec.max) throw fail(`${n} is above ${spec.max}`);
      }
      return items;
    }
  }
}

/**
 * The options a benchmark runs with: the user's values checked against the declaration, defaults
 * filled in. A benchmark that declares no options gets the user's values as they are (apiVersion 1
 * plugins written before declarations existed).
 */
export function parseBenchmarkOptions(benchmark: string, declared: Readonly<Record<string, OptionSpec>> | undefined, given: JsonObject): JsonObject {
  if (!declared) return { ...given };
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(given)) {
    const spec = declared[name];
    if (!spec) {
      const known = Object.keys(declared);
      throw new LoomError("USAGE", `${benchmark} has no option "${name}"${didYouMean(name, known)}`, {
        hint: known.length ? `its options: ${known.map((k) => describeOption(k, declared[k]!)).join("; ")}` : `${benchmark} takes no options`,
      });
    }
    out[name] = check(benchmark, name, spec, value);
  }
  for (const [name, spec] of Object.entries(declared)) {
    if (out[name] === undefined && spec.default !== undefined) out[name] = spec.default as JsonValue;
  }
  return out;
}
