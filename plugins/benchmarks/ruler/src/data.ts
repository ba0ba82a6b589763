/**
 * The files RULER's generators read, fetched through the host's data access (cache, --data-dir,
 * checksums): the Paul Graham essays (essay haystacks), SQuAD v2 dev and HotpotQA dev (qa tasks),
 * and the word lists for common-words extraction. Parsed once per process and kept.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { LoomError, type BenchmarkContext, type RemoteFile } from "@loomscope/spec";
import { paulGrahamEssay, readPaulGrahamEssays } from "@loomscope/benchmark-kit";
import { PY_SPACE_CLASS_SOURCE } from "@loomscope/metrics";

/** Python's `re.sub(r'\s+', " ", text)`: `\s` of a str pattern is `str.isspace()`. */
const PY_SPACES = new RegExp(`${PY_SPACE_CLASS_SOURCE}+`, "gu");

export const QA_FILES: Record<"squad" | "hotpotqa", RemoteFile> = {
  squad: { source: "url", url: "https://rajpurkar.github.io/SQuAD-explorer/dataset/dev-v2.0.json", path: "ruler/squad.json" },
  hotpotqa: { source: "url", url: "http://curtis.ml.cmu.edu/datasets/hotpot/hotpot_dev_distractor_v1.json", path: "ruler/hotpotqa.json" },
};
export const ENGLISH_WORDS: RemoteFile = {
  source: "url",
  url: "https://media.githubusercontent.com/media/NVIDIA/RULER/main/scripts/data/synthetic/json/english_words.json",
  path: "ruler/english_words.json",
};

const cache = new Map<string, Promise<unknown>>();
function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function fetchText(ctx: BenchmarkContext, file: RemoteFile, provenance: Record<string, string>): Promise<string> {
  const got = await ctx.data.fetch(file, { signal: ctx.signal });
  provenance[file.path] = got.sha256;
  return readFile(got.path, "utf8");
}

/** The essay haystack as RULER splits it: `re.sub(r'\s+', " ", essay).split(" ")`. */
export function essayWords(ctx: BenchmarkContext): Promise<string[]> {
  const local = ctx.data.local("ruler/PaulGrahamEssays.json");
  return once(`essay:${local ?? ctx.data.local(paulGrahamEssay("addiction").path) ?? ctx.cacheDir}`, async () => {
    let text: string;
    const provenance: Record<string, string> = {};
    if (local) {
      const parsed = z.object({ text: z.string() }).safeParse(JSON.parse(await readFile(local, "utf8")));
      if (!parsed.success) throw new LoomError("DATA", `${local}: expected {"text": "..."} as RULER's PaulGrahamEssays.json`);
      text = parsed.data.text;
      provenance["ruler/PaulGrahamEssays.json"] = "local";
    } else {
      // download_paulgraham_essay.py joins the gkamradt essays (sorted) before the scraped ones.
      text = (await readPaulGrahamEssays(ctx, "essays")).join("");
    }
    if (local) ctx.recordProvenance("essays", provenance);
    return text.replace(PY_SPACES, " ").split(" ");
  });
}

export interface QaItem {
  query: string;
  outputs: string[];
  context: number[];
  more_context?: number[];
}
export interface QaData {
  qas: QaItem[];
  docs: string[];
}

const SquadSchema = z.object({
  data: z.array(
    z.object({
      paragraphs: z.array(
        z.object({
          context: z.string(),
          qas: z.array(z.object({ question: z.string(), is_impossible: z.boolean().optional(), answers: z.array(z.object({ text: z.string() })) })),
        }),
      ),
    }),
  ),
});
const HotpotSchema = z.array(
  z.object({ question: z.string(), answer: z.string(), context: z.array(z.tuple([z.string(), z.array(z.string())])) }),
);

const pySorted = (items: string[]): string[] => [...new Set(items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** qa.py read_squad: unique contexts sorted; answerable questions with the other paragraphs of their article. */
export function readSquad(raw: unknown, file: string): QaData {
  const parsed = SquadSchema.safeParse(raw);
  if (!parsed.success) throw new LoomError("DATA", `${file}: not a SQuAD file (${parsed.error.issues[0]?.message ?? ""})`);
  const docs = pySorted(parsed.data.data.flatMap((d) => d.paragraphs.map((p) => p.context)));
  const index = new Map(docs.map((c, i) => [c, i]));
  const qas: QaItem[] = [];
  for (const d of parsed.data.data) {
    const more = d.paragraphs.map((p) => index.get(p.context) as number);
    for (const p of d.paragraphs) {
      const own = index.get(p.context) as number;
      for (const q of p.qas) {
        if (q.is_impossible) continue;
        qas.push({ query: q.question, outputs: q.answers.map((a) => a.text), context: [own], more_context: more.filter((i) => i !== own) });
      }
    }
  }
  return { qas, docs };
}

/** qa.py read_hotpotqa: documents are `title\n` + joined sentences. */
export function readHotpot(raw: unknown, file: string): QaData {
  const parsed = HotpotSchema.safeParse(raw);
  if (!parsed.success) throw new LoomError("DATA", `${file}: not a HotpotQA file (${parsed.error.issues[0]?.message ?? ""})`);
  const docOf = (t: string, p: string[]) => `${t}\n${p.join("")}`;
  const docs = pySorted(parsed.data.flatMap((d) => d.context.map(([t, p]) => docOf(t, p))));
  const index = new Map(docs.map((c, i) => [c, i]));
  const qas = parsed.data.map((d) => ({ query: d.question, outputs: [d.answer], context: d.context.map(([t, p]) => index.get(docOf(t, p)) as number) }));
  return { qas, docs };
}

export function qaData(ctx: BenchmarkContext, dataset: "squad" | "hotpotqa"): Promise<QaData> {
  const file = QA_FILES[dataset];
  return once(`qa:${dataset}:${ctx.data.local(file.path) ?? ctx.cacheDir}`, async () => {
    const provenance: Record<string, string> = {};
    const raw: unknown = JSON.parse(await fetchText(ctx, file, provenance));
    ctx.recordProvenance(`qa:${dataset}`, provenance);
    return dataset === "squad" ? readSquad(raw, file.path) : readHotpot(raw, file.path);
  });
}

/** english_words.json (values), used when a list needs more words than wonderwords has. */
export function englishWords(ctx: BenchmarkContext): Promise<string[]> {
  return once(`english-words:${ctx.cacheDir}`, async () => {
    const provenance: Record<string, string> = {};
    const raw: unknown = JSON.parse(await fetchText(ctx, ENGLISH_WORDS, provenance));
    const parsed = z.record(z.string(), z.string()).safeParse(raw);
    if (!parsed.success) throw new LoomError("DATA", `${ENGLISH_WORDS.path}: expected a JSON object of words`);
    ctx.recordProvenance("english-words", provenance);
    return Object.values(parsed.data);
  });
}
