/** How `loom suite show` names a member's data: its pinned files (repo@revision, checked or not), or the benchmark's own sources. */
import type { PinnedDataFile } from "@loomscope/spec";
import type { PlanEntry } from "@loomscope/core";

/** One line per pinned file: `hf:<repo>@<revision>/<path> (task[/length], sha256 <12>… | NO CHECKSUM, N ids)`. */
export function pinnedSources(pins: readonly PinnedDataFile[]): string[] {
  return pins.map((p) => {
    const f = p.file;
    const where = f.source === "url" ? f.url : `${f.source === "huggingface" ? "hf" : "ms"}:${f.repo}@${f.revision ?? (f.source === "modelscope" ? "master" : "main")}/${f.path}`;
    const ids = p.ids ? `, ${p.ids.count} ids` : p.idsByLength ? `, ${Object.values(p.idsByLength).reduce((a, x) => a + x.count, 0)} ids` : "";
    return `${where} (${p.task}${p.length ? `/${p.length}` : ""}, ${f.sha256 ? `sha256 ${f.sha256.slice(0, 12)}…` : "NO CHECKSUM: refused until locked"}${ids})`;
  });
}

export function suiteDataLine(entry: PlanEntry): string {
  const id = entry.benchmark.id;
  if (!entry.pinnedData) return `data ${id}: ${entry.benchmark.dataSources?.length ? entry.benchmark.dataSources.join("; ") : "generated"}`;
  if (entry.pinnedData.length === 0) return `data ${id}: pinned, but the suite's lock lists no file of it yet (its units are refused)`;
  const unchecked = entry.pinnedData.filter((p) => !p.file.sha256).length;
  const lines = pinnedSources(entry.pinnedData);
  return `data ${id}: pinned, ${lines.length} file(s)${unchecked ? `, ${unchecked} without checksum` : ""}\n${lines.map((l) => `  ${l}`).join("\n")}`;
}
