/**
 * The part of pandas `read_csv` (C parser, default options) that collect_results.py relies on when it
 * reads a prediction file: the CSV grammar pandas' own `to_csv` writes (quotes doubled, newlines
 * inside quotes, `\n` / `\r\n` / `\r` line ends, blank lines skipped), the default NA strings, and the
 * dtype a column gets (int64 / uint64 / float64 / bool / object), because collect_results turns a
 * non-object `output` column into text with `astype(str)` ("7", "1.0", "nan", "True") and fills the
 * NaN of an object column with ''. Behaviour follows pandas 2.2.2, the version babilong's
 * requirements.txt pins ("None" is an NA string there; pandas 1.x did not have it).
 */
import { pyFloatRepr } from "@loomscope/metrics";

/** pandas 2.2 `STR_NA_VALUES` (the default `na_values`). */
export const PANDAS_NA_STRINGS: ReadonlySet<string> = new Set([
  "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
  "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
]);

/** A cell after type inference: text, NaN (a missing value), or a Python bool left in an object column. */
export type PandasCell = string | number | boolean;
export type PandasDtype = "int64" | "uint64" | "float64" | "bool" | "object";
export interface PandasColumn {
  dtype: PandasDtype;
  /** int columns: decimal text; float columns: numbers (NaN for NA); bool: booleans; object: strings or NaN or booleans. */
  values: PandasCell[];
}
export interface PandasFrame {
  columns: string[];
  data: Map<string, PandasColumn>;
  rows: number;
}

export class CsvError extends Error {}

/** Tokenise CSV text into records of raw fields (quoted fields unquoted). Blank lines are skipped. */
export function tokenizeCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let inQuotes = false;
  let quotedField = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const endRecord = (): void => {
    record.push(field);
    if (!(record.length === 1 && record[0] === "" && !quotedField)) records.push(record);
    record = [];
    field = "";
    quotedField = false;
  };
  for (; i < text.length; i++) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === "") {
      inQuotes = true;
      quotedField = true;
    } else if (ch === ",") {
      record.push(field);
      field = "";
      quotedField = false;
    } else if (ch === "\n") endRecord();
    else if (ch === "\r") {
      if (text[i + 1] === "\n") i++;
      endRecord();
    } else field += ch;
  }
  if (inQuotes) throw new CsvError("EOF inside string");
  if (field !== "" || record.length > 0 || quotedField) endRecord();
  return records;
}

const INT = /^[ \t]*[+-]?\d+[ \t]*$/;
const FLOAT = /^[ \t]*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity)[ \t]*$/i;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
const TRUE = new Set(["True", "TRUE", "true"]);
const FALSE = new Set(["False", "FALSE", "false"]);

function parseFloatText(t: string): number | undefined {
  const s = t.trim();
  if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined; // overflow: pandas leaves the column as text
}

/** Infer a column's dtype from its raw fields (null = missing field) the way the C parser does. */
export function inferColumn(raw: readonly (string | null)[]): PandasColumn {
  const isNa = raw.map((v) => v === null || PANDAS_NA_STRINGS.has(v));
  const present = raw.filter((_, i) => !isNa[i]) as string[];
  const anyNa = isNa.some(Boolean);
  if (raw.length === 0) return { dtype: "object", values: [] };
  if (present.length === 0) return { dtype: "float64", values: raw.map(() => NaN) };
  if (present.every((v) => INT.test(v))) {
    const ints = present.map((v) => BigInt(v.trim()));
    const in64 = ints.every((x) => x >= INT64_MIN && x <= INT64_MAX);
    if (in64 && !anyNa) return { dtype: "int64", values: raw.map((v) => BigInt((v as string).trim()).toString()) };
    if (in64) return { dtype: "float64", values: raw.map((v, i) => (isNa[i] ? NaN : Number(BigInt((v as string).trim())))) };
    if (!anyNa && ints.every((x) => x >= 0n && x <= UINT64_MAX)) {
      return { dtype: "uint64", values: raw.map((v) => BigInt((v as string).trim()).toString()) };
    }
    return objectColumn(raw, isNa);
  }
  if (present.every((v) => FLOAT.test(v))) {
    const parsed = present.map(parseFloatText);
    if (parsed.every((x) => x !== undefined)) {
      return { dtype: "float64", values: raw.map((v, i) => (isNa[i] ? NaN : (parseFloatText(v as string) as number))) };
    }
    return objectColumn(raw, isNa);
  }
  if (present.every((v) => TRUE.has(v) || FALSE.has(v))) {
    const bools = raw.map((v, i) => (isNa[i] ? NaN : TRUE.has(v as string)));
    return anyNa ? { dtype: "object", values: bools } : { dtype: "bool", values: bools };
  }
  return objectColumn(raw, isNa);
}

function objectColumn(raw: readonly (string | null)[], isNa: readonly boolean[]): PandasColumn {
  return { dtype: "object", values: raw.map((v, i) => (isNa[i] ? NaN : (v as string))) };
}

/** `pd.read_csv(text)` for the columns it returns; an empty text raises like pandas (EmptyDataError). */
export function readCsv(text: string): PandasFrame {
  const records = tokenizeCsv(text);
  if (records.length === 0) throw new CsvError("No columns to parse from file");
  const header = records[0] as string[];
  const columns = header.map((name, i) => (name === "" ? `Unnamed: ${i}` : name));
  const body = records.slice(1);
  for (const [n, r] of body.entries()) {
    if (r.length > header.length) {
      throw new CsvError(`Error tokenizing data. C error: Expected ${header.length} fields in line ${n + 2}, saw ${r.length}`);
    }
  }
  const data = new Map<string, PandasColumn>();
  columns.forEach((name, c) => {
    data.set(name, inferColumn(body.map((r) => (c < r.length ? (r[c] as string) : null))));
  });
  return { columns, data, rows: body.length };
}

/** `series.astype(str)` of a non-object column, value by value. */
export function asStr(column: PandasColumn): string[] {
  return column.values.map((v) => {
    if (typeof v === "string") return v;
    if (typeof v === "boolean") return v ? "True" : "False";
    return pyFloatRepr(v);
  });
}
