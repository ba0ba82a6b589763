/**
 * LongHealth's data: `data/benchmark_v5.json` of kbressem/LongHealth, one object keyed by patient id
 * (`patient_01` … `patient_20`, in file order), each with its documents (`texts`: text id → text,
 * in order) and 20 questions (`No`, `question`, `answer_a` … `answer_e`, `correct` — the text of the
 * correct option — and `answer_location`: text id → `{start: [...], end: [...]}` as fractions of the
 * text). Other fields (`name`, `birthday`, `diagnosis`, …) are kept. LOOM-Scope downloads the same
 * file as `LongHealth/LongHealth.json` from its ModelScope dataset repo (named in its config).
 */
import { z } from "zod";
import { pyJsonLoads, pyJsonToJson, type PyJsonValue } from "@loomscope/metrics";

export const QuestionSchema = z
  .object({
    No: z.union([z.number(), z.string()]).optional(),
    question: z.string(),
    answer_a: z.string(),
    answer_b: z.string(),
    answer_c: z.string(),
    answer_d: z.string(),
    answer_e: z.string(),
    correct: z.string(),
    answer_location: z.record(z.string(), z.object({ start: z.array(z.number()), end: z.array(z.number()) }).passthrough()),
  })
  .passthrough();
export type Question = z.infer<typeof QuestionSchema>;

export const PatientSchema = z
  .object({
    texts: z.record(z.string(), z.string()),
    questions: z.array(QuestionSchema),
  })
  .passthrough();
export type Patient = z.infer<typeof PatientSchema>;

/** The benchmark as ordered entries (Python dict order: `JSON.parse` would reorder integer-like keys). */
export interface Benchmark {
  patients: { id: string; texts: [string, string][]; questions: Question[]; record: Patient }[];
}

export const DATA_FILE = "data/benchmark_v5.json";
export const dataDirLayouts = (): string[] => [DATA_FILE, "benchmark_v5.json", "LongHealth/data/benchmark_v5.json", "LongHealth.json", "LongHealth/LongHealth.json"];


/** One patient as json.loads read it: the entry, or what is wrong with it. */
export function patientOf(id: string, value: PyJsonValue): { patient: Benchmark["patients"][number] } | { issue: string } {
  const parsed = PatientSchema.safeParse(pyJsonToJson(value));
  if (!parsed.success) return { issue: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const textsMap = (value as Map<string, PyJsonValue>).get("texts") as Map<string, PyJsonValue>;
  return { patient: { id, texts: [...textsMap].map(([k, t]) => [k, t as string]), questions: parsed.data.questions, record: parsed.data } };
}

/** Parse benchmark_v5.json keeping Python's order of patients and texts; a malformed patient is reported. */
export function parseBenchmark(text: string): { benchmark: Benchmark; issues: { patient: string; message: string }[] } {
  const raw = pyJsonLoads(text);
  if (!(raw instanceof Map)) throw new TypeError("benchmark_v5.json is one object keyed by patient id");
  const patients: Benchmark["patients"] = [];
  const issues: { patient: string; message: string }[] = [];
  for (const [id, value] of raw as Map<string, PyJsonValue>) {
    const one = patientOf(id, value);
    if ("issue" in one) issues.push({ patient: id, message: one.issue });
    else patients.push(one.patient);
  }
  return { benchmark: { patients }, issues };
}
