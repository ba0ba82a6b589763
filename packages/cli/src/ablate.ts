/**
 * `loom ablate <targets…> --model … --variants none,kv-pruning:snapkv,budget=64,…`: the targets run
 * once per variant (core's `runAblation`: one run directory per variant in one folder, the response
 * cache shared), then one table — printed, or `--json` — written beside the runs as ablation.json,
 * ablation.md and ablation.html (with the quality/cost frontier, from @loomscope/report).
 */
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { EventBus, isTaskFile, parseVariants, runAblation, writeFileAtomic, stableHash, type RunSettings } from "@loomscope/core";
import { loadFileTarget, loadTaskFile } from "@loomscope/benchmark-kit";
import { ablationHtml, ablationMarkdown, ablationScoreTable, ablationVariantTable } from "@loomscope/report";
import { EXIT, type Io } from "./index.js";
import { attachProgress } from "./progress.js";
import { addRunFlags, givenRunSettings, registryFor, runSettingsFor } from "./run-setup.js";
import { textTable } from "./table.js";

interface AblateFlags {
  variants: string[];
  dir?: string;
  config?: string;
  json?: boolean;
  quiet?: boolean;
}

const slug = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60);

/** The ablation folder: --dir, else under --out (default ./loom-runs), named by model, targets and a short hash. */
function ablationDir(cwd: string, settings: RunSettings, targets: readonly string[], dir: string | undefined): string {
  if (dir) return resolve(cwd, dir);
  const name = `ablate-${slug(settings.model!.split("/").pop() ?? "model")}-${slug(targets.join("+"))}-${stableHash(JSON.stringify([settings.model, targets])).toString(16).slice(0, 6)}`;
  return resolve(cwd, settings.out ?? "loom-runs", name);
}

export function registerAblateCommand(program: Command, io: Io, setCode: (code: number) => void): void {
  const ablate = program
    .command("ablate")
    .description("run the targets once per accelerator variant (sharing the response cache) and compare: scores, Δ vs none with paired tests, time, tokens, the accelerators' counters, the quality/cost frontier")
    .argument("<targets...>", "suite or benchmark ids, or task files (as loom run)");
  // Each variant names its accelerators and gets its own run directory.
  const settingOf = addRunFlags(ablate, new Set(["accelerators", "runDir"]));
  ablate
    .requiredOption(
      "--variants <list>",
      "variants: none, or <accelerator>[:<method>][,key=value…] (a key=value belongs to the accelerator before it; + combines accelerators), e.g. none,kv-pruning:snapkv,budget=64,kv-pruning:h2o; repeatable",
      (raw: string, prev: string[] | undefined) => [...(prev ?? []), raw],
    )
    .option("--dir <dir>", "the ablation folder (one run directory per variant, and the table); default under --out")
    .option("--config <file>", "config file (default loom.config.{ts,js,json} in the current folder)")
    .option("-q, --quiet", "no progress display (errors and failures are still printed)")
    .option("--json", "print the table as JSON")
    .action(async (targets: string[], flags: Record<string, unknown> & AblateFlags, command: Command) => {
      const cwd = process.cwd();
      const { registry, config } = await registryFor(cwd, flags.config);
      const settings = await runSettingsFor(targets, givenRunSettings(command, flags, settingOf), registry, config, cwd);
      if (!settings.model) {
        io.err("error: no model given. Pass --model <backend>:<model>, e.g. --model engine:random:tiny");
        setCode(EXIT.usage);
        return;
      }
      const { variants, added } = parseVariants(flags.variants);
      if (added) io.err("note: no none variant given: it is run first, as the baseline of every delta");
      for (const t of targets) if (!isTaskFile(t) && !registry.find("suite", t) && !registry.find("benchmark", t)) throw registry.unknownTarget(t);
      const dir = ablationDir(cwd, settings, targets, flags.dir);
      const controller = new AbortController();
      const onSigint = () => {
        io.err("\ninterrupted: cancelling in-flight requests; finished samples are saved");
        controller.abort(new Error("interrupted"));
      };
      process.on("SIGINT", onSigint);
      try {
        let detach = () => undefined as void;
        const { table, outcomes } = await runAblation({
          ...settings,
          targets,
          cwd,
          registry,
          signal: controller.signal,
          loadTaskFile,
          loadFileTarget,
          variants,
          outDir: dir,
          onVariantStart: (variant, index) => {
            if (!flags.quiet) io.err(`variant ${index + 1}/${variants.length}: ${variant.name}`);
            const bus = new EventBus();
            detach = attachProgress(bus, process.stderr, { quiet: Boolean(flags.quiet) });
            return bus;
          },
          onVariantDone: () => detach(),
        });
        writeFileAtomic(join(dir, "ablation.json"), JSON.stringify(table, null, 2) + "\n");
        writeFileAtomic(join(dir, "ablation.md"), ablationMarkdown(table));
        writeFileAtomic(join(dir, "ablation.html"), ablationHtml(table));
        if (flags.json) io.out(JSON.stringify(table, null, 2));
        else {
          const v = ablationVariantTable(table);
          const s = ablationScoreTable(table);
          io.out(textTable(v.header, v.rows));
          io.out("");
          io.out(textTable(s.header, s.rows));
          for (const n of table.notices) io.out(`note: ${n}`);
          io.out(`\nablation: ${join(dir, "ablation.md")} (and .json, .html with the quality/cost frontier)`);
        }
        for (const o of outcomes) for (const f of o.failures) io.err(`error: ${f.benchmark}/${f.task}${f.length ? `/${f.length}` : ""} did not run (${o.runDir}): ${f.message}`);
        if (outcomes.some((o) => o.interrupted)) return setCode(EXIT.interrupted);
        for (const v of table.variants) if (v.error) io.err(`error: variant ${v.name} did not run: ${v.error}`);
        const partial = outcomes.some((o) => o.fatal || o.counts.errors > 0 || o.failures.length > 0) || table.variants.some((v) => v.error) || outcomes.length + table.variants.filter((v) => v.error).length < variants.length;
        setCode(partial ? EXIT.partial : EXIT.ok);
      } finally {
        process.off("SIGINT", onSigint);
      }
    });
}
