import type { CellStatus, RunResults } from "@loomscope/spec";

const fmt = (value: number | null | undefined): string => (value === null || value === undefined ? "-" : value.toFixed(2));

/** Render rows as an aligned text table. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  // Numbers (and '-' for none) align right, text aligns left.
  const numeric = (c: string) => /^(-?\d+(\.\d+)?|-)$/.test(c);
  const render = (cells: readonly string[]) =>
    cells.map((c, i) => (i > 0 && numeric(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [render(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(render)].join("\n");
}

const cellText = (value: number | null | undefined, status: CellStatus | undefined): string => {
  if (status && status.scored === 0 && (status.unitError || status.notRun > 0 || status.failed > 0)) return status.unitError ? "not run" : "failed";
  const base = fmt(value);
  return status && (status.failed > 0 || status.notRun > 0) ? `${base}*` : base;
};

const plusMinus = (stats: CellStatus | undefined, metric: string | undefined): string => {
  const s = metric ? stats?.metrics[metric] : undefined;
  return s && s.stderr !== null ? `±${s.stderr.toFixed(2)}` : "";
};

/**
 * The end-of-run summary: one table per benchmark (task rows × length columns, n scored, failed and
 * not run, ± the standard error of the headline metric), every planned cell shown even when it did
 * not run, the partial mark and its reason, then the suite.
 */
export function resultsTable(results: RunResults): string {
  const out: string[] = [];
  for (const b of results.benchmarks) {
    const status = b.status;
    const cellLengths = [...new Set([...Object.values(b.cells), ...Object.values(status?.cells ?? {})].flatMap((c) => Object.keys(c)))];
    const showLengths = !(cellLengths.length === 1 && cellLengths[0] === "all");
    const lengths = showLengths ? cellLengths : [];
    const label = [b.capability, b.protocol && b.protocol !== "official" ? `${b.protocol} protocol` : undefined, b.judge !== undefined ? `judge: ${b.judge ?? "none"}` : undefined].filter(Boolean).join(", ");
    const header = [`${b.benchmark} (${label})`, ...lengths, "score", "±", "n", "failed", "not run"];
    const taskIds = [...new Set([...Object.keys(b.tasks), ...Object.keys(status?.tasks ?? {})])];
    const headlineOf = (task: string) => Object.keys(status?.tasks[task]?.metrics ?? {})[0];
    const rows = taskIds.map((task) => {
      const ts = status?.tasks[task];
      return [
        task,
        ...lengths.map((l) => cellText(b.cells[task]?.[l], status?.cells[task]?.[l])),
        cellText(b.tasks[task], ts),
        plusMinus(ts, headlineOf(task)),
        String(ts?.scored ?? ""),
        String(ts?.failed ?? ""),
        String(ts?.notRun ?? ""),
      ];
    });
    const total = status?.total;
    const interval = b.scoreInterval ? `[${b.scoreInterval[0].toFixed(2)}, ${b.scoreInterval[1].toFixed(2)}]` : "";
    rows.push(["overall", ...lengths.map(() => ""), `${fmt(b.score)}${b.partial ? "*" : ""}`, interval, String(total?.scored ?? b.samples.ok), String(total?.failed ?? b.samples.errors), String(total?.notRun ?? "")]);
    out.push(textTable(header, rows));
    for (const table of b.tables ?? []) {
      out.push(textTable([table.title, ...table.columns], table.rows.map((r, i) => [r, ...table.cells[i]!.map(fmt)])));
    }
    if (b.partial) out.push(`* partial: ${b.partialReason ?? "some planned samples are missing"}; the score is not over the whole plan`);
    const firstError = Object.values(status?.tasks ?? {}).find((t) => t.firstError)?.firstError;
    if (b.samples.errors > 0) out.push(`${b.samples.errors} sample(s) failed${firstError ? `, e.g. "${firstError}"` : ""}; see the records' "error" field`);
  }
  if (results.suite) {
    const s = results.suite;
    out.push(
      textTable(
        [`suite ${s.id}@${s.version}`, "score"],
        [[`score (${s.rule} of benchmarks)${s.partial ? " *" : ""}`, fmt(s.score)], ...Object.entries(s.capabilities).map(([c, v]) => [`  ${c}`, fmt(v)])],
      ),
    );
    if (s.partial) out.push(`* partial suite: ${s.missing?.join(", ") || "members missing"}`);
  }
  return out.join("\n\n");
}
