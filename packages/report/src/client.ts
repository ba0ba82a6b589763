/*
 * The report page's script. `clientMain` is serialized with Function.prototype.toString into the
 * HTML, so it must be self-contained: it may use types from elsewhere but no imported values.
 * Every string from a run (dataset text, prompts, predictions, ids, plugin names) reaches the page
 * through textContent or setAttribute, never through innerHTML.
 */
import type { BenchmarkView, CellView, ComparisonRow, ReportData, RunSummary, SampleRow } from "./model.js";
import type { ResultTable } from "@loomscope/spec";

type ChartCtor = new (canvas: HTMLCanvasElement, config: unknown) => { destroy(): void };

export function clientMain(): void {
  const dataNode = document.getElementById("loom-data");
  const data = JSON.parse(dataNode?.textContent ?? "null") as ReportData;
  const ChartLib = (window as unknown as { Chart?: ChartCtor }).Chart;
  const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d"];
  const CAPS = ["general", "faithfulness", "reasoning", "retrieval", "generation", "specialization"];
  const PAGE_SIZE = 20;

  type Child = Node | string | number | null | undefined | false;
  function h(tag: string, attrs?: Record<string, string> | null, ...children: Child[]): HTMLElement {
    const node = document.createElement(tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  const fmt = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits));
  const signed = (v: number | null | undefined): string => (v === null || v === undefined ? "" : `${v > 0 ? "+" : v < 0 ? "−" : "±"}${Math.abs(v).toFixed(2)}`);
  const lengthValue = (level: string): number | null => {
    const m = /^(\d+(?:\.\d+)?)\s*([kKmM]?)$/.exec(level.trim());
    if (!m) return null;
    const u = (m[2] ?? "").toLowerCase();
    return Number(m[1]) * (u === "k" ? 1000 : u === "m" ? 1e6 : 1);
  };
  const sortLengths = (levels: string[]): string[] =>
    [...new Set(levels)]
      .map((l, i) => ({ l, i, v: lengthValue(l) }))
      .sort((a, b) => (a.v !== null && b.v !== null ? a.v - b.v : a.v !== null ? -1 : b.v !== null ? 1 : a.i - b.i))
      .map((x) => x.l);
  const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  /** Red (worst) → amber → green (best) on a 0–100 position. */
  const heat = (score: number): string => `hsl(${Math.max(0, Math.min(100, score)) * 1.2}, 70%, ${42 + (score > 40 && score < 70 ? 6 : 0)}%)`;
  const runName = (r: RunSummary): string => (r.accelerator === "none" ? r.model : `${r.model} [${r.accelerator}]`);
  const runShort = (r: RunSummary): string => (data.runs.length > 1 ? `#${r.index + 1} ${runName(r)}` : runName(r));

  function table(header: Child[], rows: Child[][], cls = "grid"): HTMLElement {
    return h(
      "table",
      { class: cls },
      h("thead", null, h("tr", null, ...header.map((c) => h("th", null, c)))),
      h("tbody", null, ...rows.map((row) => h("tr", null, ...row.map((c, i) => h(i === 0 ? "th" : "td", i === 0 ? { scope: "row" } : null, c))))),
    );
  }
  function scoreCell(v: number | null | undefined): HTMLElement {
    const span = h("span", { class: "score" }, fmt(v));
    if (v !== null && v !== undefined) span.setAttribute("style", `--pct:${Math.max(0, Math.min(100, v))}%`);
    return span;
  }
  function chart(container: HTMLElement, config: Record<string, unknown>, height = 320): void {
    const box = h("div", { class: "chart", style: `height:${height}px` });
    const canvas = document.createElement("canvas");
    box.appendChild(canvas);
    container.appendChild(box);
    if (!ChartLib) {
      box.replaceChildren(h("p", { class: "muted" }, "charting library missing from this page"));
      return;
    }
    const options = (config["options"] as Record<string, unknown> | undefined) ?? {};
    new ChartLib(canvas, { ...config, options: { animation: false, responsive: true, maintainAspectRatio: false, ...options } });
  }
  /** A section's body, or null when the page leaves the section out (it would carry nothing). */
  function section(id: string): HTMLElement | null {
    const node = document.getElementById(id);
    return node ? (node.querySelector(".body") as HTMLElement | null) ?? node : null;
  }
  /**
   * A score cell: the number, ± its standard error and n; failed, not-run and skipped cells in
   * their own colour with a short label; everything about the cell on hover.
   */
  function cell(c: CellView | null | undefined): HTMLElement {
    if (!c) return h("span", { class: "cell empty", title: "not in this run" }, "–");
    const node = h("span", { class: `cell ${c.kind}`, title: c.note, "data-kind": c.kind });
    if (c.score !== null) {
      node.appendChild(scoreCell(c.score));
      if (c.stderr !== null) node.appendChild(h("span", { class: "pm" }, `±${c.stderr.toFixed(2)}`));
      if (c.interval) node.appendChild(h("span", { class: "pm" }, `[${c.interval[0].toFixed(1)}, ${c.interval[1].toFixed(1)}]`));
      if (c.n !== null) node.appendChild(h("span", { class: "n" }, `n=${c.n}`));
      if (c.kind === "partial") node.appendChild(h("span", { class: "n" }, [c.failed ? `${c.failed} failed` : "", c.skipped ? `${c.skipped} too long` : "", c.notRun - c.skipped > 0 ? `${c.notRun - c.skipped} not run` : ""].filter(Boolean).join(", ")));
    } else node.appendChild(document.createTextNode(c.label ?? "–"));
    return node;
  }
  function legend(): HTMLElement {
    const sample = (kind: string, text: string, title: string) => h("span", { class: `cell ${kind}`, title }, text);
    return h(
      "p",
      { class: "legend" },
      "Cells: score ± standard error, n scored. ",
      sample("partial", "partial", "some samples failed or did not run: the score is over the rest"),
      sample("failed", "failed", "nothing scored: samples failed or the unit could not run"),
      sample("skipped", "not run (too long for the model's window)", "never sent: the prompt cannot fit the model's window"),
      sample("not-run", "not run", "planned, never run (interrupted)"),
      "Hover a cell for its counts and first error.",
    );
  }
  const stateBadge = (r: RunSummary): HTMLElement => h("span", { class: `state ${r.state}`, title: r.stateReason, "data-state": r.state }, r.state);

  // ---- overview ---------------------------------------------------------------------------
  const overviewBody = section("overview");
  if (overviewBody) {
    const body = overviewBody;
    for (const r of data.runs) {
      const facts: [string, string][] = [
        ["run", r.name],
        ["model", `${r.model}${r.backend ? ` (backend ${r.backend})` : ""}`],
        ["accelerator", r.accelerator],
        ["created", r.createdAt ?? "unknown"],
        ["tokenizer", r.tokenizer ?? "none recorded"],
        ["samples", `${r.counts.samples} (${r.counts.ok} scored, ${r.counts.errors} failed, ${r.counts.skipped} not run (too long for the model's window), ${r.counts.truncated} truncated)`],
        ["status", `${r.state}: ${r.stateReason}`],
        ["time", `${fmt(r.timing.meanMs, 0)} ms mean per sample, ${(r.timing.totalMs / 1000).toFixed(1)} s in all`],
      ];
      if (r.timing.cachedPromptTokens !== null) facts.push(["prefix cache", `${r.timing.cachedPromptTokens.toLocaleString("en-US")} of ${r.timing.totalPromptTokens.toLocaleString("en-US")} prompt tokens served from the server's prefix cache`]);
      const card = h("div", { class: "card" }, h("h3", null, runShort(r), stateBadge(r)), h("div", { class: "big" }, fmt(r.overall), r.overallInterval ? h("span", { class: "pm", title: "95% bootstrap interval" }, ` [${r.overallInterval[0].toFixed(1)}, ${r.overallInterval[1].toFixed(1)}]`) : null), h("p", { class: "muted" }, r.overallRule));
      if (r.partialBenchmarks.length) card.appendChild(h("p", { class: "warn" }, `partial: ${r.partialBenchmarks.join(", ")} (failed or not-run samples; see the benchmark tables)`));
      card.appendChild(h("dl", null, ...facts.flatMap(([k, v]) => [h("dt", null, k), h("dd", null, v)])));
      if (r.derivedResults) card.appendChild(h("p", { class: "warn" }, "results.json is missing: scores were computed here from the records with the default rule."));
      if (r.notices.length) card.appendChild(h("details", null, h("summary", null, `${r.notices.length} notice(s) while reading`), h("ul", null, ...r.notices.map((n) => h("li", null, n)))));
      body.appendChild(card);
    }
  }

  // ---- summary: leaderboard, comparison, per-run score tree ---------------------------------
  const summaryBody = section("summary");
  if (summaryBody) {
    const body = summaryBody;
    body.appendChild(legend());
    if (data.runs.length > 1) {
      body.appendChild(h("h3", null, "Leaderboard"));
      body.appendChild(
        table(
          ["Rank", "Model", "Accelerator", "Status", "Score", ...data.benchmarks],
          data.leaderboard.map((row) => {
            const run = data.runs[row.run]!;
            return [String(row.rank), row.model, row.accelerator, stateBadge(run), scoreCell(row.overall), ...data.benchmarks.map((b) => cell(run.views.find((v) => v.benchmark === b)?.total))];
          }),
          "grid leaderboard",
        ),
      );
      body.appendChild(h("h3", null, "Side by side (Δ against run #1; * significant at p < 0.05, paired by sample)"));
      const deltaCell = (c: ComparisonRow, i: number): HTMLElement => {
        const d = c.deltas[i];
        const wrap = h("span", null, cell(c.cells[i]));
        if (i > 0 && d !== null && d !== undefined) wrap.appendChild(h("span", { class: d > 0 ? "delta up" : d < 0 ? "delta down" : "delta" }, ` ${signed(d)}`));
        const sig = c.significance[i];
        if (i > 0 && sig) {
          const text = `${sig.test === "mcnemar" ? "McNemar exact test" : "paired bootstrap"} over ${sig.n} paired sample(s): p = ${sig.p.toPrecision(3)}`;
          wrap.appendChild(h("span", { class: sig.significant ? "sig" : "sig muted", title: text, "data-significant": sig.significant ? "1" : "0" }, sig.significant ? "*" : "ns"));
          wrap.setAttribute("title", text);
        }
        return wrap;
      };
      body.appendChild(
        table(
          ["Benchmark / task", ...data.runs.map((r) => runShort(r))],
          data.comparison.map((c) => [c.task === null ? h("strong", null, c.benchmark) : `  ${c.task}`, ...c.scores.map((_, i) => deltaCell(c, i))]),
          "grid comparison",
        ),
      );
    }
    for (const r of data.runs) {
      const wrap = data.runs.length > 1 ? h("details", { "data-run": String(r.index) }, h("summary", null, `Scores of ${runShort(r)}`)) : h("div", { "data-run": String(r.index) });
      const suite = r.suite;
      wrap.appendChild(
        h("p", null, "Score ", h("strong", null, fmt(r.overall)), suite ? ` — suite ${suite.id}@${suite.version}, rule: ${suite.rule}` : ` — ${r.overallRule}`),
      );
      const caps = CAPS.filter((c) => c in r.capabilities);
      if (caps.length) wrap.appendChild(table(["Capability", "Mean of its benchmarks"], caps.map((c) => [c, scoreCell(r.capabilities[c])])));
      // One length axis per unit: token counts (1000, 4256) and levels (4k, 8k) never share columns.
      const units = [...new Set(r.views.map((v) => v.unit))];
      for (const unit of units) {
        const views = r.views.filter((v) => v.unit === unit);
        const lengths = sortLengths(views.flatMap((v) => v.lengths));
        const rows: Child[][] = [];
        for (const v of views) {
          rows.push([h("strong", null, `${v.benchmark} (${v.capability})`), ...lengths.map(() => ""), cell(v.total), `${v.total.scored} / ${v.total.failed} / ${v.total.notRun}`]);
          for (const row of v.rows) rows.push([`  ${row.task}`, ...lengths.map((l) => { const i = v.lengths.indexOf(l); return i >= 0 && row.cells[i] ? cell(row.cells[i]) : ""; }), cell(row.total), `${row.total.scored} / ${row.total.failed} / ${row.total.notRun}`]);
        }
        const caption = unit === "tokens" ? "length: tokens" : unit === "level" ? "length: levels" : unit === "named" ? "length: named settings" : "no length levels";
        const t = table([`Benchmark → task (${caption})`, ...lengths, "Score", "Scored / failed / not run"], rows, "grid tree");
        t.setAttribute("data-unit", unit);
        wrap.appendChild(t);
      }
      for (const v of r.views) if (v.partialReason) wrap.appendChild(h("p", { class: "warn", "data-partial": v.benchmark }, `${v.benchmark}: partial — ${v.partialReason}`));
      body.appendChild(wrap);
    }
  }

  /** A benchmark's declared table, drawn without knowing the benchmark. */
  function declaredTable(t: ResultTable): HTMLElement {
    const header = [t.rowAxis && t.columnAxis ? `${t.rowAxis} \\ ${t.columnAxis}` : "", ...t.columns];
    const el = table(header, t.rows.map((row, i) => [row, ...(t.cells[i] ?? []).map((v, j) => {
      const n = t.n?.[i]?.[j];
      const span = scoreCell(v);
      if (n !== undefined) span.setAttribute("title", `${row}, ${t.columns[j] ?? ""}: ${fmt(v)} over ${n} sample(s)`);
      return span;
    })]));
    el.setAttribute("data-view", "table");
    return el;
  }
  /** A declared heatmap: each cell coloured on the view's range, n on hover. */
  function declaredHeatmap(t: ResultTable): HTMLElement {
    const [lo, hi] = t.range ?? [0, 100];
    const grid = h("table", { class: "heatmap", "data-view": "heatmap" });
    grid.appendChild(h("thead", null, h("tr", null, h("th", null, `${t.rowAxis ?? ""} \\ ${t.columnAxis ?? ""}`), ...t.columns.map((c) => h("th", null, c)))));
    const tbody = h("tbody");
    t.rows.forEach((row, i) => {
      const tr = h("tr", null, h("th", { scope: "row" }, row));
      t.columns.forEach((col, j) => {
        const v = t.cells[i]?.[j] ?? null;
        const n = t.n?.[i]?.[j];
        if (v === null) {
          tr.appendChild(h("td", { class: "empty", title: `${row}, ${col}: no scored sample` }, ""));
          return;
        }
        const frac = hi === lo ? 0 : (v - lo) / (hi - lo);
        const good = t.higherIsBetter === false ? 1 - frac : frac;
        tr.appendChild(h("td", { style: `background:${heat(good * 100)}`, title: `${t.rowAxis ?? "row"} ${row}, ${t.columnAxis ?? "column"} ${col}: ${fmt(v)}${n !== undefined ? ` over ${n} sample(s)` : ""}` }, fmt(v, 0)));
      });
      tbody.appendChild(tr);
    });
    grid.appendChild(tbody);
    return grid;
  }
  const runLabel = (r: RunSummary): string => (data.runs.length > 1 ? `${runShort(r)}` : "");

  // ---- benchmark tables (task × length with status, declared tables) and length decay --------
  const tablesBody = section("tables");
  if (tablesBody) {
    const body = tablesBody;
    for (const b of data.benchmarks) {
      const block = h("div", { class: "bench", "data-benchmark": b }, h("h3", null, b));
      // Every run's own tables, each labelled with its run.
      for (const r of data.runs) {
        const v: BenchmarkView | undefined = r.views.find((x) => x.benchmark === b);
        if (!v) continue;
        const part = h("div", { class: "run-tables", "data-run": String(r.index) });
        if (data.runs.length > 1) part.appendChild(h("h4", null, runLabel(r)));
        part.appendChild(
          table(
            ["Task", ...v.lengths, "Task score"],
            [...v.rows.map((row) => [row.task, ...row.cells.map((c) => (c ? cell(c) : "")), cell(row.total)] as Child[]), [h("strong", null, "Benchmark"), ...v.lengths.map(() => ""), cell(v.total)]],
            "grid status",
          ),
        );
        if (v.partialReason) part.appendChild(h("p", { class: "warn" }, `partial: ${v.partialReason}`));
        if (v.judge) part.appendChild(h("p", { class: "muted" }, `judge-scored metrics judged by ${v.judge}`));
        for (const t of v.views.filter((x) => x.view !== "heatmap")) {
          part.appendChild(h("p", { class: "muted" }, t.title));
          part.appendChild(declaredTable(t));
        }
        block.appendChild(part);
      }
      // Decay: one line per task for one run; one line (the mean over tasks) per run for several.
      const views = data.runs.map((r) => r.views.find((y) => y.benchmark === b));
      const lengths = sortLengths(views.flatMap((v) => (v ? v.lengths : [])));
      const first = views.find(Boolean);
      if (first && lengths.length > 0 && !(lengths.length === 1 && lengths[0] === "all")) {
        const valueAt = (v: BenchmarkView, task: string, l: string): number | null => {
          const row = v.rows.find((x) => x.task === task);
          const i = v.lengths.indexOf(l);
          return row && i >= 0 ? (row.cells[i]?.score ?? null) : null;
        };
        const datasets =
          data.runs.length === 1
            ? first.rows.map((row, i) => ({ label: row.task, data: lengths.map((l) => valueAt(first, row.task, l)), borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], spanGaps: true }))
            : data.runs.map((r, i) => {
                const v = views[i];
                const values = lengths.map((l) => (v ? mean(v.rows.map((row) => valueAt(v, row.task, l)).filter((x): x is number => typeof x === "number")) : null));
                return { label: runShort(r), data: values, borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], spanGaps: true };
              });
        chart(block, {
          type: "line",
          data: { labels: lengths, datasets },
          options: { plugins: { title: { display: true, text: `${b}: score by input length (${first.unit === "tokens" ? "tokens" : "length level"})` } }, scales: { y: { title: { display: true, text: "score" }, beginAtZero: true, suggestedMax: 100 }, x: { title: { display: true, text: first.unit === "tokens" ? "tokens" : "length level" } } } },
        }, 280);
      }
      body.appendChild(block);
    }
  }

  // ---- heatmaps the benchmarks declare in their results ----------------------------------------
  const heatBody = section("heatmap");
  if (heatBody) {
    for (const r of data.runs) {
      for (const v of r.views) {
        for (const t of v.views.filter((x) => x.view === "heatmap")) {
          const named = t.title.toLowerCase().includes(v.benchmark.toLowerCase()) ? t.title : `${v.benchmark}: ${t.title}`;
          heatBody.appendChild(h("h3", null, `${named}${data.runs.length > 1 ? ` — ${runShort(r)}` : ""}`));
          const grid = declaredHeatmap(t);
          grid.setAttribute("data-benchmark", v.benchmark);
          heatBody.appendChild(grid);
        }
      }
    }
    heatBody.appendChild(h("p", { class: "muted" }, "Declared by each benchmark in its results; red is the worst end of its range, green the best. Hover a cell for its sample count."));
  }

  // ---- capability radar (three or more capabilities) -----------------------------------------
  const radarBody = section("radar");
  if (radarBody) {
    const caps = CAPS.filter((c) => data.runs.some((r) => c in r.capabilities));
    chart(radarBody, {
      type: "radar",
      data: {
        labels: caps,
        datasets: data.runs.map((r, i) => ({
          label: runShort(r),
          data: caps.map((c) => r.capabilities[c] ?? null),
          borderColor: PALETTE[i % PALETTE.length],
          backgroundColor: `${PALETTE[i % PALETTE.length]}33`,
          spanGaps: true,
        })),
      },
      options: { scales: { r: { beginAtZero: true, suggestedMax: 100 } } },
    }, 380);
    radarBody.appendChild(table(["Capability", ...data.runs.map((r) => runShort(r))], caps.map((c) => [c, ...data.runs.map((r) => (c in r.capabilities ? scoreCell(r.capabilities[c]) : "no benchmark"))])));
  }

  // ---- accelerators: score against time and prompt tokens (two or more runs) ----------------
  const accBody = section("accelerators");
  if (accBody) {
    const body = accBody;
    const points = (x: (r: RunSummary) => number | null) =>
      data.runs.map((r, i) => ({
        label: runShort(r),
        data: [{ x: x(r), y: r.overall }],
        pointRadius: r.accelerator === "none" ? 9 : 6,
        pointStyle: r.accelerator === "none" ? "rectRot" : "circle",
        borderColor: PALETTE[i % PALETTE.length],
        backgroundColor: PALETTE[i % PALETTE.length],
      }));
    const scatter = (title: string, xLabel: string, x: (r: RunSummary) => number | null) =>
      chart(body, {
        type: "scatter",
        data: { datasets: points(x) },
        options: { plugins: { title: { display: true, text: title } }, scales: { x: { title: { display: true, text: xLabel }, beginAtZero: true }, y: { title: { display: true, text: "score" }, beginAtZero: true, suggestedMax: 100 } } },
      }, 280);
    scatter("Score against wall time", "mean wall time per sample (ms)", (r) => r.timing.meanMs);
    scatter("Score against prompt tokens", "mean prompt tokens per sample", (r) => r.timing.meanPromptTokens);
    body.appendChild(
      table(
        ["Run", "Accelerator (method, setting)", "Score", "Δ vs unaccelerated", "ms / sample", "prompt tokens / sample"],
        data.runs.map((r) => {
          const base = data.runs.find((x) => x.accelerator === "none" && x.model === r.model);
          const d = base && base !== r && r.overall !== null && base.overall !== null ? r.overall - base.overall : null;
          return [runShort(r), r.acceleratorDetails.length ? r.acceleratorDetails.map((a) => `${a.accelerator}:${a.method} ${JSON.stringify(a.params)}`).join("; ") : "none (baseline)", scoreCell(r.overall), signed(d), fmt(r.timing.meanMs, 0), fmt(r.timing.meanPromptTokens, 0)];
        }),
      ),
    );
  }

  // ---- truncation ---------------------------------------------------------------------------
  const truncBody = section("truncation");
  if (truncBody) {
    const body = truncBody;
    for (const t of data.truncation) {
      const run = data.runs[t.run];
      if (!run) continue;
      const total = t.rows.reduce((a, r) => a + r.samples, 0);
      const cut = t.rows.reduce((a, r) => a + r.truncated, 0);
      body.appendChild(h("h3", null, `${runShort(run)}: ${cut} of ${total} prompts cut in the middle`));
      if (!total) {
        body.appendChild(h("p", { class: "muted" }, "No records carry prompt statistics."));
        continue;
      }
      body.appendChild(
        table(
          ["Benchmark / task", "Samples", "Truncated", "Share", "Mean removed", "Max removed", "Tokens removed"],
          t.rows.map((r) => [`${r.benchmark} / ${r.task}`, String(r.samples), String(r.truncated), `${fmt((r.truncated / Math.max(1, r.samples)) * 100, 1)}%`, r.meanCutPct === null ? "–" : `${fmt(r.meanCutPct, 1)}%`, r.maxCutPct === null ? "–" : `${fmt(r.maxCutPct, 1)}%`, r.tokensRemoved === null ? "–" : String(r.tokensRemoved)]),
        ),
      );
      if (cut > 0) {
        chart(body, {
          type: "bar",
          data: { labels: t.histogram.map((_, i) => `${i * 10}–${i * 10 + 10}%`), datasets: [{ label: "truncated samples by share of the prompt removed", data: t.histogram, backgroundColor: PALETTE[t.run % PALETTE.length] }] },
          options: { scales: { y: { beginAtZero: true, title: { display: true, text: "samples" } } } },
        }, 220);
      }
    }
  }

  // ---- sample by sample: samples × runs grid and the paired per-sample diff (several runs) ----
  const compareBody = section("compare");
  if (compareBody) {
    const body = compareBody;
    const rows: SampleRow[] = data.samples.rows;
    const dict = data.samples.dict;
    const runs = data.runs.length;
    // Samples paired by benchmark, task, length and id: per key, the row of each run (or -1).
    const byKey = new Map<string, number[]>();
    rows.forEach((r, i) => {
      const key = `${r[1]}\u0000${r[2]}\u0000${r[3]}\u0000${r[4]}`;
      let slots = byKey.get(key);
      if (!slots) byKey.set(key, (slots = Array.from({ length: runs }, () => -1)));
      slots[r[0]] = i;
    });
    const keys = [...byKey.keys()];
    /** pass: scored at ≥ 0.5 of the headline's 0–1 scale; fail: below, or failed; skip: not run (too long). */
    const outcome = (i: number): "pass" | "fail" | "skip" | "missing" => {
      if (i < 0) return "missing";
      const r = rows[i]!;
      if (r[5] === 2) return "skip";
      if (r[5] === 1) return "fail";
      return r[6] !== null && r[6] >= 0.5 ? "pass" : "fail";
    };
    const benchOptions = [...new Set(rows.map((r) => r[1]))].map((b) => [String(b), dict[b] ?? ""] as [string, string]);
    const gBench = h("select", { id: "g-benchmark", "aria-label": "benchmark" }, h("option", { value: "" }, "all benchmarks"), ...benchOptions.map(([v, t]) => h("option", { value: v }, t))) as HTMLSelectElement;
    const gDiff = h("input", { id: "g-diff", type: "checkbox" }) as HTMLInputElement;
    const gPrev = h("button", { id: "g-prev", type: "button" }, "← previous") as HTMLButtonElement;
    const gNext = h("button", { id: "g-next", type: "button" }, "next →") as HTMLButtonElement;
    const gInfo = h("span", { id: "g-info" });
    const grid = h("div", { id: "sample-grid" });
    body.appendChild(h("h3", null, "Samples × runs"));
    body.appendChild(h("p", { class: "legend" }, "pass: scored ≥ 0.5 on the headline metric's 0–1 scale; fail: below that, or the sample failed; too long: not run (too long for the model's window); – : not in that run."));
    body.appendChild(h("div", { class: "filters" }, gBench, h("label", null, gDiff, " only differences")));
    body.appendChild(h("div", { class: "pager" }, gPrev, gInfo, gNext));
    body.appendChild(grid);
    const GRID_PAGE = 50;
    let gMatches: string[] = [];
    let gPage = 0;
    const drawGrid = (): void => {
      const pages = Math.max(1, Math.ceil(gMatches.length / GRID_PAGE));
      gPage = Math.max(0, Math.min(gPage, pages - 1));
      const slice = gMatches.slice(gPage * GRID_PAGE, gPage * GRID_PAGE + GRID_PAGE);
      const t = h("table", { class: "grid samplegrid" });
      t.appendChild(h("thead", null, h("tr", null, h("th", null, "Sample"), ...data.runs.map((r) => h("th", null, runShort(r))))));
      const tb = h("tbody");
      for (const key of slice) {
        const slots = byKey.get(key)!;
        const any = rows[slots.find((i) => i >= 0)!]!;
        const tr = h("tr", null, h("th", { scope: "row" }, `${dict[any[1]] ?? ""} / ${dict[any[2]] ?? ""} / ${dict[any[3]] ?? ""} / `, h("code", null, any[4])));
        for (const i of slots) {
          const o = outcome(i);
          const r = i >= 0 ? rows[i]! : null;
          const text = o === "missing" ? "–" : o === "skip" ? "too long" : r && r[5] === 1 ? "error" : `${o} ${fmt(r ? r[6] : null, 2)}`;
          tr.appendChild(h("td", { class: o, title: r && r[5] !== 0 ? (r[27] ?? "") : r ? (r[8] ?? "") : "not in this run" }, text));
        }
        tb.appendChild(tr);
      }
      t.appendChild(tb);
      grid.replaceChildren(t);
      if (!slice.length) grid.appendChild(h("p", { class: "muted" }, "No sample differs between the runs."));
      gInfo.textContent = `page ${gPage + 1} of ${pages} · ${gMatches.length} sample${gMatches.length === 1 ? "" : "s"}`;
      gPrev.disabled = gPage === 0;
      gNext.disabled = gPage >= pages - 1;
      grid.setAttribute("data-matches", String(gMatches.length));
    };
    const applyGrid = (): void => {
      const bench = gBench.value === "" ? -1 : Number(gBench.value);
      gMatches = keys.filter((key) => {
        const slots = byKey.get(key)!;
        if (bench >= 0 && rows[slots.find((i) => i >= 0)!]![1] !== bench) return false;
        if (gDiff.checked) return new Set(slots.map(outcome)).size > 1;
        return true;
      });
      gPage = 0;
      drawGrid();
    };
    gBench.addEventListener("change", applyGrid);
    gDiff.addEventListener("change", applyGrid);
    gPrev.addEventListener("click", () => {
      gPage--;
      drawGrid();
    });
    gNext.addEventListener("click", () => {
      gPage++;
      drawGrid();
    });
    applyGrid();

    // Paired per-sample diff: the samples both runs scored, largest change first.
    body.appendChild(h("h3", null, "Paired per-sample diff"));
    const pOther = h("select", { id: "p-run", "aria-label": "run to compare with run #1" }, ...data.runs.slice(1).map((r) => h("option", { value: String(r.index) }, `${runShort(r)} vs ${runShort(data.runs[0]!)}`))) as HTMLSelectElement;
    const pSummary = h("p", { id: "p-summary" });
    const pList = h("div", { id: "pair-list" });
    const pPrev = h("button", { id: "p-prev", type: "button" }, "← previous") as HTMLButtonElement;
    const pNext = h("button", { id: "p-next", type: "button" }, "next →") as HTMLButtonElement;
    const pInfo = h("span", { id: "p-info" });
    body.appendChild(h("div", { class: "filters" }, pOther));
    body.appendChild(pSummary);
    body.appendChild(h("div", { class: "pager" }, pPrev, pInfo, pNext));
    body.appendChild(pList);
    const PAIR_PAGE = 10;
    let pairs: { a: number; b: number; d: number }[] = [];
    let pPage = 0;
    const drawPairs = (): void => {
      const pages = Math.max(1, Math.ceil(pairs.length / PAIR_PAGE));
      pPage = Math.max(0, Math.min(pPage, pages - 1));
      pList.replaceChildren(
        ...pairs.slice(pPage * PAIR_PAGE, pPage * PAIR_PAGE + PAIR_PAGE).map(({ a, b, d }) => {
          const ra = rows[a]!;
          const rb = rows[b]!;
          const side = (r: SampleRow, label: string) => h("div", { class: "col" }, h("h4", null, `${label}: score ${fmt(r[6], 3)}`), h("pre", { class: "prediction" }, r[8] ?? "(no prediction)"));
          return h(
            "article",
            { class: "pair", "data-delta": String(d) },
            h("header", null, h("code", { class: "sid" }, ra[4]), ` ${dict[ra[1]] ?? ""} / ${dict[ra[2]] ?? ""} / ${dict[ra[3]] ?? ""} `, h("span", { class: d > 0 ? "delta up" : d < 0 ? "delta down" : "delta" }, `Δ ${signed(d)}`), h("span", { class: "muted" }, ` · reference: ${(ra[10][0] ?? "").slice(0, 200)}`)),
            h("div", { class: "cols" }, side(ra, runShort(data.runs[ra[0]]!)), side(rb, runShort(data.runs[rb[0]]!))),
          );
        }),
      );
      if (!pairs.length) pList.appendChild(h("p", { class: "muted" }, "No sample was scored in both runs."));
      pInfo.textContent = `page ${pPage + 1} of ${pages}`;
      pPrev.disabled = pPage === 0;
      pNext.disabled = pPage >= pages - 1;
      pList.setAttribute("data-pairs", String(pairs.length));
    };
    const applyPairs = (): void => {
      const other = Number(pOther.value);
      pairs = [];
      for (const slots of byKey.values()) {
        const a = slots[0]!;
        const b = slots[other]!;
        if (a < 0 || b < 0) continue;
        const ra = rows[a]!;
        const rb = rows[b]!;
        if (ra[5] !== 0 || rb[5] !== 0 || ra[6] === null || rb[6] === null) continue;
        pairs.push({ a, b, d: rb[6] - ra[6] });
      }
      pairs.sort((x, y) => Math.abs(y.d) - Math.abs(x.d));
      const better = pairs.filter((p) => p.d > 0).length;
      const worse = pairs.filter((p) => p.d < 0).length;
      const m = mean(pairs.map((p) => p.d));
      pSummary.textContent = `${pairs.length} sample(s) scored in both runs: ${better} better, ${worse} worse, ${pairs.length - better - worse} unchanged; mean Δ ${m === null ? "–" : signed(m)} (headline metric, 0–1 scale). Significance per benchmark and task is in the Summary's side-by-side table.`;
      pPage = 0;
      drawPairs();
    };
    pOther.addEventListener("change", applyPairs);
    pPrev.addEventListener("click", () => {
      pPage--;
      drawPairs();
    });
    pNext.addEventListener("click", () => {
      pPage++;
      drawPairs();
    });
    applyPairs();
  }

  // ---- sample browser -----------------------------------------------------------------------
  const samplesBody = section("samples");
  if (samplesBody) {
    const body = samplesBody;
    const rows: SampleRow[] = data.samples.rows;
    const dict = data.samples.dict;
    const multi = data.runs.length > 1;
    const select = (id: string, label: string, options: [string, string][]): HTMLSelectElement => {
      const s = h("select", { id, "aria-label": label }) as HTMLSelectElement;
      for (const [value, text] of options) {
        const o = h("option", { value }, text) as HTMLOptionElement;
        s.appendChild(o);
      }
      return s;
    };
    const used = (col: 1 | 2 | 3): [string, string][] => {
      const seen = new Set<number>();
      for (const r of rows) seen.add(r[col]);
      const names = [...seen].map((i) => dict[i] ?? "");
      return (col === 3 ? sortLengths(names) : names.sort()).map((n) => [String(dict.indexOf(n)), n]);
    };
    const fRun = select("f-run", "run", [["", "all runs"], ...data.runs.map((r) => [String(r.index), runShort(r)] as [string, string])]);
    const fBench = select("f-benchmark", "benchmark", [["", "all benchmarks"], ...used(1)]);
    const taskOptions = used(2);
    const fTask = select("f-task", "task", [["", "all tasks"], ...taskOptions]);
    const fLength = select("f-length", "length", [["", "all lengths"], ...used(3)]);
    const fStatus = select("f-status", "status", [["", "any status"], ["ok", "scored"], ["error", "failed"], ["skipped", "not run (too long for the model's window)"], ["truncated", "truncated prompt"]]);
    const fMin = h("input", { id: "f-min", type: "number", step: "any", placeholder: "score ≥", "aria-label": "minimum score" }) as HTMLInputElement;
    const fMax = h("input", { id: "f-max", type: "number", step: "any", placeholder: "score ≤", "aria-label": "maximum score" }) as HTMLInputElement;
    const fText = h("input", { id: "f-text", type: "search", placeholder: "id or prediction contains…", "aria-label": "search" }) as HTMLInputElement;
    const prev = h("button", { id: "page-prev", type: "button" }, "← previous") as HTMLButtonElement;
    const next = h("button", { id: "page-next", type: "button" }, "next →") as HTMLButtonElement;
    const info = h("span", { id: "page-info" });
    const count = h("span", { id: "match-count" });
    const list = h("div", { id: "sample-list" });
    body.appendChild(h("div", { class: "filters" }, multi ? fRun : null, fBench, fTask, fLength, fStatus, fMin, fMax, fText));
    body.appendChild(h("div", { class: "pager" }, prev, info, next, count));
    body.appendChild(list);
    body.appendChild(h("div", { class: "pager" }, h("span", { class: "muted" }, `${rows.length} samples in this report; text is cut to the first characters kept by the report.`)));

    // Tasks offered follow the chosen benchmark.
    const tasksOf = new Map<number, Set<number>>();
    for (const r of rows) {
      let set = tasksOf.get(r[1]);
      if (!set) tasksOf.set(r[1], (set = new Set()));
      set.add(r[2]);
    }
    fBench.addEventListener("change", () => {
      const b = fBench.value === "" ? null : Number(fBench.value);
      const keep = b === null ? null : tasksOf.get(b);
      const current = fTask.value;
      fTask.replaceChildren(...[["", "all tasks"] as [string, string], ...taskOptions.filter(([v]) => !keep || keep.has(Number(v)))].map(([v, t]) => h("option", { value: v }, t)));
      fTask.value = [...fTask.options].some((o) => o.value === current) ? current : "";
    });

    let matches: number[] = [];
    let page = 0;
    const apply = (): void => {
      const began = performance.now();
      const run = fRun.value === "" ? -1 : Number(fRun.value);
      const bench = fBench.value === "" ? -1 : Number(fBench.value);
      const task = fTask.value === "" ? -1 : Number(fTask.value);
      const len = fLength.value === "" ? -1 : Number(fLength.value);
      const status = fStatus.value;
      const min = fMin.value === "" ? null : Number(fMin.value);
      const max = fMax.value === "" ? null : Number(fMax.value);
      const text = fText.value.trim().toLowerCase();
      const out: number[] = [];
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        if (run >= 0 && r[0] !== run) continue;
        if (bench >= 0 && r[1] !== bench) continue;
        if (task >= 0 && r[2] !== task) continue;
        if (len >= 0 && r[3] !== len) continue;
        if (status === "ok" && r[5] !== 0) continue;
        if (status === "error" && r[5] !== 1) continue;
        if (status === "skipped" && r[5] !== 2) continue;
        if (status === "truncated" && (r[14] !== 1 || r[5] === 2)) continue;
        if (min !== null && (r[6] === null || r[6] < min)) continue;
        if (max !== null && (r[6] === null || r[6] > max)) continue;
        if (text && !r[4].toLowerCase().includes(text) && !(r[8] ?? "").toLowerCase().includes(text)) continue;
        out.push(i);
      }
      matches = out;
      page = 0;
      render();
      // How long the last filter took in the page (filtering every row, then drawing one page).
      list.setAttribute("data-ms", (performance.now() - began).toFixed(1));
    };
    const pre = (text: string, cls: string): HTMLElement => h("pre", { class: cls }, text);
    const card = (r: SampleRow): HTMLElement => {
      const [run, bench, task, len, id, status, score, scores, prediction, predictionChars, refs, refCount, head, tail, truncated, tokens, maxTokens, originalTokens, originalChars, keptChars, promptTokens, completionTokens, totalMs, ttftMs, prefillMs, decodeMs, errorCode, errorMessage] = r;
      const title = h(
        "header",
        null,
        h("code", { class: "sid" }, id),
        ` ${dict[bench] ?? ""} / ${dict[task] ?? ""} / ${dict[len] ?? ""}`,
        multi ? ` · ${runShort(data.runs[run]!)}` : null,
        " ",
        status === 1
          ? h("span", { class: "badge bad" }, `error ${dict[errorCode] ?? ""}`)
          : status === 2
            ? h("span", { class: "badge skip", title: errorMessage ?? "" }, "not run (too long for the model's window)")
            : h("span", { class: "badge" }, `score ${fmt(score, 3)}`),
        truncated && status !== 2 ? h("span", { class: "badge cut" }, "truncated") : null,
      );
      const promptFacts = [
        tokens !== null ? `${tokens} tokens sent` : null,
        maxTokens !== null ? `max ${maxTokens}` : null,
        originalTokens !== null ? `${originalTokens} before truncation` : null,
        originalChars !== null && keptChars !== null ? `${keptChars} of ${originalChars} chars kept` : null,
      ].filter(Boolean).join(" · ");
      const left = h("div", { class: "col" }, h("h4", null, "Prompt head"), pre(head, "head"), h("h4", null, "Prompt tail"), pre(tail, "tail"), h("p", { class: "muted" }, promptFacts || "no prompt statistics"));
      const refList = h("ol", { class: "refs" }, ...refs.map((ref) => h("li", null, pre(ref, "ref"))));
      const mid = h(
        "div",
        { class: "col" },
        h("h4", null, "Prediction"),
        prediction === null ? h("p", { class: "muted" }, "no prediction") : pre(prediction, "prediction"),
        prediction !== null && predictionChars > prediction.length ? h("p", { class: "muted" }, `… ${predictionChars - prediction.length} more characters in the record`) : null,
        h("h4", null, `References (${refCount})`),
        refList,
        refCount > refs.length ? h("p", { class: "muted" }, `… ${refCount - refs.length} more in the record`) : null,
      );
      const timing = [`total ${fmt(totalMs, 0)} ms`, ttftMs !== null ? `TTFT ${fmt(ttftMs, 0)} ms` : null, prefillMs !== null ? `prefill ${fmt(prefillMs, 0)} ms` : null, decodeMs !== null ? `decode ${fmt(decodeMs, 0)} ms` : null, promptTokens !== null ? `prompt ${promptTokens} tok` : null, completionTokens !== null ? `completion ${completionTokens} tok` : null].filter(Boolean) as string[];
      const right = h(
        "div",
        { class: "col" },
        h("h4", null, "Scores"),
        Object.keys(scores).length ? table(["Metric", "Value"], Object.entries(scores).map(([k, v]) => [k, fmt(v, 4)]), "grid small") : h("p", { class: "muted" }, "none"),
        h("h4", null, "Timings"),
        h("ul", { class: "timings" }, ...timing.map((t) => h("li", null, t))),
        status !== 0 ? h("h4", null, status === 2 ? "Why it was not run" : "Error") : null,
        status !== 0 ? pre(`${dict[errorCode] ?? ""}: ${errorMessage ?? ""}`, "error") : null,
      );
      return h("article", { class: status === 1 ? "sample failed" : status === 2 ? "sample skipped" : "sample" }, title, h("div", { class: "cols" }, left, mid, right));
    };
    const render = (): void => {
      const pages = Math.max(1, Math.ceil(matches.length / PAGE_SIZE));
      page = Math.max(0, Math.min(page, pages - 1));
      const slice = matches.slice(page * PAGE_SIZE, page * PAGE_SIZE + PAGE_SIZE);
      list.replaceChildren(...slice.map((i) => card(rows[i]!)));
      if (!slice.length) list.appendChild(h("p", { class: "muted" }, "No sample matches these filters."));
      info.textContent = `page ${page + 1} of ${pages}`;
      count.textContent = `${matches.length} matching sample${matches.length === 1 ? "" : "s"}`;
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
      list.setAttribute("data-page", String(page + 1));
      list.setAttribute("data-matches", String(matches.length));
    };
    for (const control of [fRun, fBench, fTask, fLength, fStatus]) control.addEventListener("change", apply);
    for (const control of [fMin, fMax, fText]) control.addEventListener("input", apply);
    prev.addEventListener("click", () => {
      page--;
      render();
    });
    next.addEventListener("click", () => {
      page++;
      render();
    });
    apply();
  }

  document.body.setAttribute("data-ready", "1");
}
