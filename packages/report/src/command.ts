import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { toCsv, toJson, toMarkdown } from "./formats.js";
import { leaderboardCsv, leaderboardHtml, leaderboardMarkdown, leaderboardView } from "./leaderboard.js";
import { renderHtml } from "./html.js";
import { findRunDirs, loadRun } from "./load.js";
import { buildReport, type ReportData } from "./model.js";

export interface ReportIo {
  out(text: string): void;
  err(text: string): void;
}

export const REPORT_FORMATS = ["html", "md", "csv", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const ReportFlagsSchema = z.object({
  out: z.string().min(1).optional(),
  format: z.enum(REPORT_FORMATS).optional(),
  title: z.string().optional(),
  /** The leaderboard alone: runs × benchmarks × Avg × capability means. */
  leaderboard: z.boolean().optional(),
});
export type ReportFlags = z.infer<typeof ReportFlagsSchema>;

/** Build the report data of the given run directories (or results folders holding runs). */
export async function buildReportFor(paths: readonly string[], options: { title?: string; onNotice?: (message: string) => void } = {}): Promise<ReportData> {
  const dirs = findRunDirs(paths);
  if (dirs.length === 0) throw new ReportUsageError(`no run directory found in ${paths.join(", ")} (a run directory has manifest.json or results.json)`);
  const runs = [];
  for (const dir of dirs) {
    const run = await loadRun(dir);
    for (const n of run.notices) options.onNotice?.(n);
    runs.push(run);
  }
  return buildReport(runs, options.title !== undefined ? { title: options.title } : {});
}

export class ReportUsageError extends Error {
  readonly code = "USAGE";
}

export function renderReport(data: ReportData, format: ReportFormat): string {
  switch (format) {
    case "html":
      return renderHtml(data);
    case "md":
      return toMarkdown(data);
    case "csv":
      return toCsv(data);
    case "json":
      return toJson(data);
  }
}

/** The leaderboard view of the runs in one format. */
export function renderLeaderboard(data: ReportData, format: ReportFormat): string {
  const view = leaderboardView(data);
  switch (format) {
    case "html":
      return leaderboardHtml(view);
    case "md":
      return leaderboardMarkdown(view);
    case "csv":
      return leaderboardCsv(view);
    case "json":
      return JSON.stringify(view, null, 2) + "\n";
  }
}

/**
 * `loom report <run…>`: html goes to a file (default <run>/report.html for one run, ./loom-report.html
 * for several); md, csv and json go to stdout unless --out is given. Returns the exit code.
 */
export async function reportCommand(paths: readonly string[], rawFlags: unknown, io: ReportIo): Promise<number> {
  const parsed = ReportFlagsSchema.safeParse(rawFlags);
  if (!parsed.success) {
    io.err(`error: ${parsed.error.issues.map((i) => `${i.path.join(".") || "flags"}: ${i.message}`).join("; ")} (formats: ${REPORT_FORMATS.join(", ")})`);
    return 2;
  }
  const flags = parsed.data;
  const format = flags.format ?? (flags.out ? formatFromFile(flags.out) : "html");
  let data: ReportData;
  try {
    data = await buildReportFor(paths, { ...(flags.title !== undefined ? { title: flags.title } : {}), onNotice: (m) => io.err(`warn: ${m}`) });
  } catch (error) {
    if (error instanceof ReportUsageError) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const text = flags.leaderboard ? renderLeaderboard(data, format) : renderReport(data, format);
  let out = flags.out;
  if (!out && format === "html") out = flags.leaderboard ? resolve("loom-leaderboard.html") : data.runs.length === 1 ? join(data.runs[0]!.dir, "report.html") : resolve("loom-report.html");
  if (!out) {
    io.out(text.trimEnd());
    return 0;
  }
  const file = resolve(out);
  if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  io.out(`wrote ${file} (${data.runs.length} run${data.runs.length === 1 ? "" : "s"}, ${data.samples.rows.length} samples)`);
  return 0;
}

function formatFromFile(file: string): ReportFormat {
  const ext = file.toLowerCase().split(".").pop();
  return ext === "md" || ext === "markdown" ? "md" : ext === "csv" ? "csv" : ext === "json" ? "json" : "html";
}
