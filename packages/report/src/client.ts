/*
 * The report page's script. `clientMain` is serialized with Function.prototype.toString into the
 * HTML, so it must be self-contained: it may use types from elsewhere but no imported values.
 * Every string from a run (dataset text, prompts, predictions, ids, plugin names) reaches the page
 * through textContent or setAttribute, never through innerHTML.
 */
import type { ComparisonRow, Heatmap, ReportData, RunSummary, SampleRow } from "./model.js";

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
  /** Red (0) → amber → green (100), as the NIAH heatmaps colour them. */
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
  function section(id: string): HTMLElement {
    const node = document.getElementById(id);
    if (!node) throw new Error(`missing section ${id}`);
    return node.querySelector(".body") ?? node;
  }

  // ---- overview ---------------------------------------------------------------------------
  {
    const body = section("overview");
    for (const r of data.runs) {
      const facts: [string, string][] = [
        ["run", r.name],
        ["model", `${r.model}${r.backend ? ` (backend ${r.backend})` : ""}`],
        ["accelerator", r.accelerator],
        ["created", r.createdAt ?? "unknown"],
        ["tokenizer", r.tokenizer ?? "none recorded"],
        ["samples", `${r.counts.samples} (${r.counts.ok} ok, ${r.counts.errors} failed, ${r.counts.truncated} truncated)${r.complete ? "" : " — run incomplete"}`],
        ["time", `${fmt(r.timing.meanMs, 0)} ms mean per sample, ${(r.timing.totalMs / 1000).toFixed(1)} s in all`],
      ];
      if (r.timing.cachedPromptTokens !== null) facts.push(["prefix cache", `${r.timing.cachedPromptTokens.toLocaleString("en-US")} of ${r.timing.totalPromptTokens.toLocaleString("en-US")} prompt tokens served from the server's prefix cache`]);
      const card = h("div", { class: "card" }, h("h3", null, runShort(r)), h("div", { class: "big" }, fmt(r.overall)), h("p", { class: "muted" }, r.overallRule));
      card.appendChild(h("dl", null, ...facts.flatMap(([k, v]) => [h("dt", null, k), h("dd", null, v)])));
      if (r.derivedResults) card.appendChild(h("p", { class: "warn" }, "results.json is missing: scores were computed here from the records with the default rule."));
      if (r.notices.length) card.appendChild(h("details", null, h("summary", null, `${r.notices.length} notice(s) while reading`), h("ul", null, ...r.notices.map((n) => h("li", null, n)))));
      body.appendChild(card);
    }
  }

  // ---- summary: leaderboard, comparison, per-run score tree ---------------------------------
  {
    const body = section("summary");
    if (data.runs.length > 1) {
      body.appendChild(h("h3", null, "Leaderboard"));
      body.appendChild(
        table(
          ["Rank", "Model", "Accelerator", "Score", ...data.benchmarks],
          data.leaderboard.map((row) => [String(row.rank), row.model, row.accelerator, scoreCell(row.overall), ...data.benchmarks.map((b) => scoreCell(row.benchmarks[b]))]),
          "grid leaderboard",
        ),
      );
      body.appendChild(h("h3", null, "Side by side (Δ against run #1)"));
      const deltaCell = (c: ComparisonRow, i: number): HTMLElement => {
        const d = c.deltas[i];
        const wrap = h("span", null, scoreCell(c.scores[i]));
        if (i > 0 && d !== null && d !== undefined) wrap.appendChild(h("span", { class: d > 0 ? "delta up" : d < 0 ? "delta down" : "delta" }, ` ${signed(d)}`));
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
      const wrap = data.runs.length > 1 ? h("details", null, h("summary", null, `Scores of ${runShort(r)}`)) : h("div");
      const suite = r.suite;
      wrap.appendChild(
        h("p", null, "Score ", h("strong", null, fmt(r.overall)), suite ? ` — suite ${suite.id}@${suite.version}, rule: ${suite.rule}` : ` — ${r.overallRule}`),
      );
      const caps = CAPS.filter((c) => c in r.capabilities);
      if (caps.length) wrap.appendChild(table(["Capability", "Mean of its benchmarks"], caps.map((c) => [c, scoreCell(r.capabilities[c])])));
      const lengths = sortLengths(r.benchmarks.flatMap((b) => Object.values(b.cells).flatMap((row) => Object.keys(row))));
      const rows: Child[][] = [];
      for (const b of r.benchmarks) {
        rows.push([h("strong", null, `${b.benchmark} (${b.capability})`), ...lengths.map(() => ""), scoreCell(b.score), `${b.samples.ok} / ${b.samples.errors}`]);
        for (const [task, score] of Object.entries(b.tasks)) {
          rows.push([`  ${task}`, ...lengths.map((l) => (b.cells[task] && l in b.cells[task]! ? scoreCell(b.cells[task]![l]) : "")), scoreCell(score), ""]);
        }
      }
      wrap.appendChild(table(["Benchmark → task", ...lengths, "Score", "Scored / failed"], rows, "grid tree"));
      body.appendChild(wrap);
    }
  }

  // ---- dataset × length tables and length-decay charts --------------------------------------
  {
    const body = section("tables");
    const first = data.runs[0];
    for (const b of data.benchmarks) {
      const result = first?.benchmarks.find((x) => x.benchmark === b) ?? data.runs.map((r) => r.benchmarks.find((x) => x.benchmark === b)).find(Boolean);
      if (!result) continue;
      const block = h("div", { class: "bench", "data-benchmark": b }, h("h3", null, b));
      const official = result.tables?.[0];
      if (official) {
        block.appendChild(h("p", { class: "muted" }, official.title));
        block.appendChild(table(["", ...official.columns], official.rows.map((row, i) => [row, ...(official.cells[i] ?? []).map((v) => scoreCell(v))])));
      } else {
        const lengths = sortLengths(Object.values(result.cells).flatMap((row) => Object.keys(row)));
        const tasks = Object.keys(result.cells);
        const avg = lengths.map((l) => mean(tasks.map((t) => result.cells[t]?.[l]).filter((v): v is number => typeof v === "number")));
        block.appendChild(
          table(
            ["Dataset", ...lengths, "Avg"],
            [
              ...tasks.map((t) => [t, ...lengths.map((l) => scoreCell(result.cells[t]?.[l])), scoreCell(result.tasks[t])] as Child[]),
              [h("strong", null, "Average"), ...avg.map((v) => scoreCell(v)), scoreCell(result.score)],
            ],
          ),
        );
      }
      // Decay: one line per task for one run; one line (the mean over tasks) per run for several.
      const all = data.runs.flatMap((r) => r.benchmarks.filter((x) => x.benchmark === b));
      const lengths = sortLengths(all.flatMap((x) => Object.values(x.cells).flatMap((row) => Object.keys(row))));
      if (lengths.length > 0 && !(lengths.length === 1 && lengths[0] === "all")) {
        const datasets =
          data.runs.length === 1
            ? Object.keys(result.cells).map((t, i) => ({ label: t, data: lengths.map((l) => result.cells[t]?.[l] ?? null), borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], spanGaps: true }))
            : data.runs.map((r, i) => {
                const x = r.benchmarks.find((y) => y.benchmark === b);
                const values = lengths.map((l) => (x ? mean(Object.values(x.cells).map((row) => row[l]).filter((v): v is number => typeof v === "number")) : null));
                return { label: runShort(r), data: values, borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], spanGaps: true };
              });
        chart(block, {
          type: "line",
          data: { labels: lengths, datasets },
          options: { plugins: { title: { display: true, text: `${b}: score by input length` } }, scales: { y: { title: { display: true, text: "score" }, beginAtZero: true, suggestedMax: 100 }, x: { title: { display: true, text: "length level" } } } },
        }, 280);
      }
      body.appendChild(block);
    }
    if (!data.benchmarks.length) body.appendChild(h("p", { class: "muted" }, "no benchmark results"));
  }

  // ---- NIAH length × depth heatmap ----------------------------------------------------------
  {
    const body = section("heatmap");
    const maps: Heatmap[] = data.heatmaps;
    if (!maps.length) body.appendChild(h("p", { class: "muted" }, "No records carry a needle depth (meta.depth), so there is no length × depth heatmap for this run."));
    for (const m of maps) {
      const run = data.runs[m.run];
      body.appendChild(h("h3", null, `${m.benchmark}${m.task ? ` / ${m.task}` : ""}${data.runs.length > 1 && run ? ` — ${runShort(run)}` : ""}`));
      const grid = h("table", { class: "heatmap", "data-benchmark": m.benchmark });
      grid.appendChild(h("thead", null, h("tr", null, h("th", null, "depth \\ length"), ...m.lengths.map((l) => h("th", null, l)))));
      const tbody = h("tbody");
      m.depths.forEach((d, di) => {
        const tr = h("tr", null, h("th", { scope: "row" }, m.fractional ? `${Math.round(d * 100)}%` : `${d}%`));
        m.lengths.forEach((l, li) => {
          const c = m.cells[di]?.[li] ?? null;
          const td = h("td", c ? { style: `background:${heat(c.score)}`, title: `length ${l}, depth ${d}: ${fmt(c.score)} over ${c.n} sample(s)` } : { class: "empty" }, c ? fmt(c.score, 0) : "");
          tr.appendChild(td);
        });
        tbody.appendChild(tr);
      });
      grid.appendChild(tbody);
      body.appendChild(grid);
      body.appendChild(h("p", { class: "muted" }, "Mean score × 100 per cell; red 0 → green 100. Rows: needle depth in the context, columns: context length."));
    }
  }

  // ---- six-capability radar -----------------------------------------------------------------
  {
    const body = section("radar");
    const any = data.runs.some((r) => Object.keys(r.capabilities).length > 0);
    if (!any) body.appendChild(h("p", { class: "muted" }, "No capability scores (the benchmarks' capabilities are not known without results.json)."));
    else {
      chart(body, {
        type: "radar",
        data: {
          labels: CAPS,
          datasets: data.runs.map((r, i) => ({
            label: runShort(r),
            data: CAPS.map((c) => r.capabilities[c] ?? null),
            borderColor: PALETTE[i % PALETTE.length],
            backgroundColor: `${PALETTE[i % PALETTE.length]}33`,
            spanGaps: true,
          })),
        },
        options: { scales: { r: { beginAtZero: true, suggestedMax: 100 } } },
      }, 380);
      body.appendChild(table(["Capability", ...data.runs.map((r) => runShort(r))], CAPS.map((c) => [c, ...data.runs.map((r) => (c in r.capabilities ? scoreCell(r.capabilities[c]) : "no benchmark"))])));
    }
  }

  // ---- accelerators: score against time and prompt tokens ----------------------------------
  {
    const body = section("accelerators");
    if (data.runs.length === 1) {
      body.appendChild(h("p", { class: "muted" }, `This run used accelerator: ${data.runs[0]?.accelerator ?? "none"}. Pass several runs (e.g. the unaccelerated run and one per method and setting) to loom report to compare them here.`));
    }
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
  {
    const body = section("truncation");
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

  // ---- sample browser -----------------------------------------------------------------------
  {
    const body = section("samples");
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
    const fStatus = select("f-status", "status", [["", "any status"], ["ok", "scored"], ["error", "failed"], ["truncated", "truncated prompt"]]);
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
        if (status === "truncated" && r[15] !== 1) continue;
        if (min !== null && (r[6] === null || r[6] < min)) continue;
        if (max !== null && (r[6] === null || r[6] > max)) continue;
        if (text && !r[4].toLowerCase().includes(text) && !(r[9] ?? "").toLowerCase().includes(text)) continue;
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
      const [run, bench, task, len, id, error, score, scores, depth, prediction, predictionChars, refs, refCount, head, tail, truncated, tokens, maxTokens, originalTokens, originalChars, keptChars, promptTokens, completionTokens, totalMs, ttftMs, prefillMs, decodeMs, errorCode, errorMessage] = r;
      const title = h(
        "header",
        null,
        h("code", { class: "sid" }, id),
        ` ${dict[bench] ?? ""} / ${dict[task] ?? ""} / ${dict[len] ?? ""}`,
        depth !== null ? ` · depth ${depth}` : null,
        multi ? ` · ${runShort(data.runs[run]!)}` : null,
        " ",
        error ? h("span", { class: "badge bad" }, `error ${dict[errorCode] ?? ""}`) : h("span", { class: "badge" }, `score ${fmt(score, 3)}`),
        truncated ? h("span", { class: "badge cut" }, "truncated") : null,
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
        error ? h("h4", null, "Error") : null,
        error ? pre(`${dict[errorCode] ?? ""}: ${errorMessage ?? ""}`, "error") : null,
      );
      return h("article", { class: error ? "sample failed" : "sample" }, title, h("div", { class: "cols" }, left, mid, right));
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
