/**
 * The few Python value semantics compute_scores.py leans on, over values as `json.loads` returns
 * them (`pyJsonLoads` from @loomscope/metrics: ints as number/bigint, floats as PyFloat):
 * `==` across int / float / bool, `x in container` for lists and strings, `str(x)`, `label[i]`.
 */
import { OfficialScorerError, PyFloat, pyFloatRepr, type PyJsonValue } from "@loomscope/metrics";

export type PyValue = PyJsonValue;

/** A dict's entries: json.loads gives Maps, plain objects are accepted too. */
function dictEntries(v: PyValue): [string, PyValue][] {
  return v instanceof Map ? [...(v as ReadonlyMap<string, PyValue>)] : Object.entries(v as Record<string, PyValue>);
}

type Numeric = { kind: "int"; value: bigint } | { kind: "float"; value: number };

function numeric(v: PyValue): Numeric | null {
  if (typeof v === "boolean") return { kind: "int", value: v ? 1n : 0n };
  if (typeof v === "bigint") return { kind: "int", value: v };
  if (typeof v === "number") return Number.isInteger(v) ? { kind: "int", value: BigInt(v) } : { kind: "float", value: v };
  if (v instanceof PyFloat) return { kind: "float", value: v.value };
  return null;
}

/** Python `a == b` for JSON values (True == 1 == 1.0; "1" != 1; lists element-wise). */
export function pyEq(a: PyValue, b: PyValue): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na || nb) {
    if (!na || !nb) return false;
    if (na.kind === "int" && nb.kind === "int") return na.value === nb.value;
    if (na.kind === "float" && nb.kind === "float") return na.value === nb.value;
    // int == float is exact in Python: equal only when the float is that very integer.
    const [f, i] = na.kind === "float" ? [na.value, nb.value as bigint] : [nb.value as number, na.value as bigint];
    return Number.isInteger(f) && BigInt(f) === i;
  }
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    const lb = b as readonly PyValue[];
    return (a as readonly PyValue[]).every((x, i) => pyEq(x, lb[i] as PyValue));
  }
  const ea = dictEntries(a);
  const mb = new Map(dictEntries(b));
  if (ea.length !== mb.size) return false;
  return ea.every(([k, x]) => mb.has(k) && pyEq(x, mb.get(k) as PyValue));
}

export function isPyList(v: PyValue): v is readonly PyValue[] {
  return Array.isArray(v);
}

/** Python's type name, for the TypeErrors the official code would raise. */
export function pyTypeName(v: PyValue): string {
  if (v === null) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "str";
  if (typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v))) return "int";
  if (typeof v === "number" || v instanceof PyFloat) return "float";
  if (Array.isArray(v)) return "list";
  return "dict";
}

/** Python `needle in container` for a list (element ==) or a str (substring; a non-str needle raises). */
export function pyIn(needle: PyValue, container: PyValue): boolean {
  if (Array.isArray(container)) return (container as readonly PyValue[]).some((x) => pyEq(needle, x));
  if (typeof container === "string") {
    if (typeof needle !== "string") {
      throw new OfficialScorerError("TypeError", `'in <string>' requires string as left operand, not ${pyTypeName(needle)}`);
    }
    return container.includes(needle);
  }
  if (container !== null && typeof container === "object" && !(container instanceof PyFloat)) {
    return typeof needle === "string" && dictEntries(container).some(([k]) => k === needle);
  }
  throw new OfficialScorerError("TypeError", `argument of type '${pyTypeName(container)}' is not iterable`);
}

/** Python `str(x)` for JSON values. */
export function pyStr(v: PyValue): string {
  if (typeof v === "string") return v;
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Number.isInteger(v) ? String(BigInt(v)) : pyFloatRepr(v);
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (Array.isArray(v)) return `[${(v as readonly PyValue[]).map(pyRepr).join(", ")}]`;
  return `{${dictEntries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
}

function pyRepr(v: PyValue): string {
  if (typeof v !== "string") return pyStr(v);
  const quote = v.includes("'") && !v.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of v) {
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else out += ch;
  }
  return quote + out + quote;
}

/** Python `seq[i]` on a list or a str (code points), raising IndexError / TypeError as Python does. */
export function pyIndex(v: PyValue, i: number): PyValue {
  if (isPyList(v)) {
    const j = i < 0 ? v.length + i : i;
    if (j < 0 || j >= v.length) throw new OfficialScorerError("IndexError", "list index out of range");
    return v[j] as PyValue;
  }
  if (typeof v === "string") {
    const cps = Array.from(v);
    const j = i < 0 ? cps.length + i : i;
    if (j < 0 || j >= cps.length) throw new OfficialScorerError("IndexError", "string index out of range");
    return cps[j] as string;
  }
  throw new OfficialScorerError("TypeError", `'${pyTypeName(v)}' object is not subscriptable`);
}

/** Python iteration: a list's elements or a str's characters. */
export function pyIter(v: PyValue): readonly PyValue[] {
  if (isPyList(v)) return v;
  if (typeof v === "string") return Array.from(v);
  if (v !== null && typeof v === "object" && !(v instanceof PyFloat)) return dictEntries(v).map(([k]) => k);
  throw new OfficialScorerError("TypeError", `'${pyTypeName(v)}' object is not iterable`);
}
