import type { EventBus } from "@loomscope/core";
import type { PlannedTask } from "@loomscope/spec";

interface Row {
  label: string;
  total: number | undefined;
  done: number;
  errors: number;
  resumed: number;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  finished: boolean;
}

const keyOf = (benchmark: string, task: string, length: string | null) => `${benchmark}/${task}${length ? `/${length}` : ""}`;

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "--";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** In quiet mode, sample errors printed before they are only counted (the records keep every one). */
export const QUIET_SAMPLE_ERRORS = 20;

/**
 * The live progress display: one line per task (done/total, rate, ETA, errors) redrawn in place on
 * a terminal; plain lines at task boundaries and every few seconds otherwise. It only subscribes.
 * `quiet` hides progress only: warnings and errors are still printed.
 */
export function attachProgress(bus: EventBus, stream: NodeJS.WriteStream, options: { quiet?: boolean } = {}): () => void {
  const rows = new Map<string, Row>();
  const tty = Boolean(stream.isTTY) && process.env.CI === undefined;
  let drawn = 0;
  let lastPlain = 0;
  let timer: NodeJS.Timeout | undefined;
  let quietErrors = 0;
  const skippedUnits = new Set<string>();

  const line = (row: Row): string => {
    const done = row.done + row.resumed;
    const total = row.total !== undefined ? String(row.total) : "?";
    const elapsed = row.startedAt ? (row.finishedAt ?? Date.now()) - row.startedAt : 0;
    const rate = elapsed > 0 ? (row.done / elapsed) * 1000 : 0;
    const remaining = row.total !== undefined ? row.total - done : undefined;
    const eta = row.finished ? "done" : remaining !== undefined && rate > 0 ? `eta ${formatDuration((remaining / rate) * 1000)}` : "eta --";
    const width = 20;
    const filled = row.total ? Math.min(width, Math.round((done / row.total) * width)) : 0;
    const bar = tty ? `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ` : "";
    const errors = row.errors > 0 ? `  errors ${row.errors}` : "";
    return `${row.label.padEnd(36)} ${bar}${String(done).padStart(5)}/${total.padEnd(5)} ${rate.toFixed(1).padStart(6)}/s  ${eta}${errors}`;
  };

  const redraw = () => {
    if (!tty || options.quiet) return;
    const active = [...rows.values()].filter((r) => r.startedAt !== undefined);
    const shown = active.slice(-12);
    let out = drawn > 0 ? `\x1b[${drawn}A` : "";
    for (const row of shown) out += `\x1b[2K${line(row)}\n`;
    stream.write(out);
    drawn = shown.length;
  };

  /** A line of output; `important` ones (warnings, errors) are printed even when quiet. */
  const plain = (text: string, important = false) => {
    if (options.quiet) {
      if (important) stream.write(text + "\n");
      return;
    }
    if (tty) {
      // Print above the live block.
      stream.write(drawn > 0 ? `\x1b[${drawn}A\x1b[0J` : "");
      drawn = 0;
      stream.write(text + "\n");
      redraw();
    } else stream.write(text + "\n");
  };

  const offs = [
    bus.on("run:start", ({ plan, runDir }) => {
      for (const p of plan as PlannedTask[]) {
        rows.set(keyOf(p.benchmark, p.task, p.length), {
          label: keyOf(p.benchmark, p.task, p.length),
          total: p.total,
          done: 0,
          errors: 0,
          resumed: p.resumed,
          startedAt: undefined,
          finishedAt: undefined,
          finished: false,
        });
      }
      const resumed = plan.reduce((a, p) => a + p.resumed, 0);
      plain(`run directory: ${runDir}${resumed > 0 ? ` (resuming: ${resumed} samples already recorded)` : ""}`);
      if (tty) timer = setInterval(redraw, 250);
    }),
    bus.on("task:start", ({ benchmark, task, length }) => {
      const row = rows.get(keyOf(benchmark, task, length));
      if (row) row.startedAt = Date.now();
      if (!tty) plain(`start ${keyOf(benchmark, task, length)}${row?.total !== undefined ? ` (${row.total} samples)` : ""}`);
    }),
    bus.on("sample:done", ({ record }) => {
      const row = rows.get(keyOf(record.benchmark, record.task, record.length));
      if (row) row.done++;
      if (!tty && Date.now() - lastPlain > 5000 && row) {
        lastPlain = Date.now();
        plain(line(row));
      }
    }),
    bus.on("sample:error", ({ record }) => {
      const row = rows.get(keyOf(record.benchmark, record.task, record.length));
      if (row) {
        row.done++;
        row.errors++;
      }
      const text = `error ${keyOf(record.benchmark, record.task, record.length)} ${record.id}: ${record.error?.message ?? ""}`;
      if (options.quiet) {
        quietErrors++;
        if (quietErrors <= QUIET_SAMPLE_ERRORS) plain(text, true);
        else if (quietErrors === QUIET_SAMPLE_ERRORS + 1) plain(`(more sample errors are not printed; every one is in the records)`, true);
      } else if (!tty) plain(text);
    }),
    bus.on("sample:skipped", ({ record }) => {
      const key = keyOf(record.benchmark, record.task, record.length);
      const row = rows.get(key);
      if (row) row.done++;
      // Once per unit, whatever the display mode: the run's closing lines list them all.
      if (!skippedUnits.has(key)) {
        skippedUnits.add(key);
        plain(`warn: not run ${key} ${record.id}: ${record.error?.message ?? "too long for the model's window"} (more of this unit may follow; the summary lists them)`, true);
      }
    }),
    bus.on("task:done", ({ benchmark, task, length }) => {
      const row = rows.get(keyOf(benchmark, task, length));
      if (row) {
        row.finished = true;
        row.finishedAt = Date.now();
        if (!tty) plain(line(row));
      }
    }),
    bus.on("request:retry", ({ sampleId, attempt, delayMs, reason }) => {
      if (!tty) plain(`retry ${sampleId} (attempt ${attempt}, waiting ${delayMs} ms): ${reason}`);
    }),
    bus.on("concurrency:change", ({ limit, reason }) => plain(`concurrency now ${limit} (${reason})`)),
    bus.on("log", ({ level, message, source }) => {
      if (level === "debug") return;
      plain(`${level === "info" ? "" : `${level}: `}${source ? `[${source}] ` : ""}${message}`, level === "warn" || level === "error");
    }),
  ];
  let detached = false;
  return () => {
    if (detached) return;
    detached = true;
    if (timer) clearInterval(timer);
    redraw(); // the final state, left on screen above what follows
    for (const off of offs) off();
  };
}
