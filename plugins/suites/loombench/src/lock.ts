/**
 * The LOOMBench lock: which file of the Hugging Face dataset LCM-Lab/LOOMBench (also ModelScope
 * LCM_group/LOOMBench) each member's units read, at one revision, with each file's sha256 and the
 * sample-id list its rows yield. Paths follow the dataset's one-folder-per-benchmark layout (README
 * says which names were seen in the dataset's tree and which follow its naming). The shipped lock
 * carries no checksums yet: they need a download of the files, which the machine this was written on
 * could not make; a run refuses each unchecked file (DATA_PINNED) until the lock is completed
 * (`LOOMBENCH_LOCK=<lock.json>` points the suite at a completed or mirrored lock).
 */
import { z } from "zod";

const IdsPin = z.object({ count: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

export const LockFileSchema = z
  .object({
    path: z.string().min(1),
    task: z.string().min(1),
    length: z.string().optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    ids: IdsPin.optional(),
    idsByLength: z.record(z.string(), IdsPin).optional(),
  })
  .strict();

export const LockMemberSchema = z
  .object({
    /** The benchmark plugin id. */
    benchmark: z.string().min(1),
    /** The dataset folder (and the LOOMBench card's column name). */
    folder: z.string().min(1),
    column: z.string().min(1),
    protocol: z.enum(["official", "loom"]).optional(),
    options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))])).optional(),
    tasks: z.array(z.string()).min(1).optional(),
    lengths: z.array(z.string()).min(1).optional(),
    /**
     * Pinned files. `generated`: loomscope generates this member's samples (NIAH, RULER,
     * Counting-Stars): its LOOMBench folder is not read. An empty list: the folder's file names are
     * not known here, and every unit refuses to run until the lock lists them.
     */
    files: z.union([z.array(LockFileSchema), z.literal("generated")]),
  })
  .strict();

export const LockSchema = z
  .object({
    source: z.enum(["huggingface", "modelscope"]),
    repo: z.string().min(1),
    revision: z.string().min(1),
    members: z.array(LockMemberSchema).length(12),
  })
  .strict();
export type LoomBenchLock = z.infer<typeof LockSchema>;

/** The first commit of LCM-Lab/LOOMBench seen with all twelve folders (after e55ecc0 added LongBench_v2). */
export const LOOMBENCH_REVISION = "d9d4f349551cd0fe8b25dc766612d35e4230e7cb";

const files = (folder: string, tasks: readonly string[], name: (task: string) => string = (t) => `${t}.jsonl`) =>
  tasks.map((task) => ({ path: `${folder}/${name(task)}`, task }));
const perLength = (folder: string, tasks: readonly string[], lengths: readonly string[]) =>
  tasks.flatMap((task) => lengths.map((length) => ({ path: `${folder}/${task}_${length}.jsonl`, task, length })));

const CITE_TASKS = ["narrativeqa", "natural_questions", "hotpotqa", "2wikimultihopqa", "gov_report", "multi_news", "qmsum", "locomo", "dialsim", "niah", "counting_stars"];
const INFINITEBENCH_TASKS = ["passkey", "number_string", "kv_retrieval", "longbook_choice_eng", "longbook_qa_eng", "longbook_qa_chn", "longdialogue_qa_eng", "math_find", "code_run", "code_debug"];
const LONGBENCH_TASKS = ["narrativeqa", "qasper", "multifieldqa_en", "multifieldqa_zh", "hotpotqa", "2wikimqa", "musique", "dureader", "gov_report", "qmsum", "multi_news", "vcsum", "trec", "triviaqa", "samsum", "lsht", "passage_count", "passage_retrieval_en", "passage_retrieval_zh", "lcc", "repobench-p"];
const BABILONG_TASKS = ["qa1", "qa2", "qa3", "qa4", "qa5"];
const BABILONG_LENGTHS = ["0k", "1k", "2k", "4k", "8k", "16k", "32k", "64k", "128k"];
const LVEVAL_TASKS = ["hotpotwikiqa_mixup", "loogle_SD_mixup", "loogle_CR_mixup", "loogle_MIR_mixup", "multifieldqa_en_mixup", "multifieldqa_zh_mixup", "factrecall_en", "factrecall_zh", "cmrc_mixup", "lic_mixup", "dureader_mixup"];

/** The shipped lock: the card's column order, paths without checksums (see the module comment). */
export const LOOMBENCH_LOCK: LoomBenchLock = {
  source: "huggingface",
  repo: "LCM-Lab/LOOMBench",
  revision: LOOMBENCH_REVISION,
  members: [
    { benchmark: "l-citeeval", folder: "L_CiteEval", column: "L_CiteEval", protocol: "loom", tasks: CITE_TASKS, files: files("L_CiteEval", CITE_TASKS, (t) => `L-CiteEval-Data_${t}.jsonl`) },
    { benchmark: "leval", folder: "LEval", column: "LEval", protocol: "loom", files: [] },
    { benchmark: "ruler", folder: "RULER", column: "RULER", protocol: "loom", files: "generated" },
    { benchmark: "longbench", folder: "LongBench", column: "LongBench", protocol: "loom", tasks: LONGBENCH_TASKS, files: files("LongBench", LONGBENCH_TASKS) },
    { benchmark: "babilong", folder: "babilong", column: "BaBILong", protocol: "loom", tasks: BABILONG_TASKS, lengths: BABILONG_LENGTHS, files: perLength("babilong", BABILONG_TASKS, BABILONG_LENGTHS) },
    { benchmark: "counting-stars", folder: "Counting_Stars", column: "Counting★", protocol: "loom", files: "generated" },
    { benchmark: "lveval", folder: "LVEval", column: "LVEval", protocol: "loom", tasks: LVEVAL_TASKS, lengths: ["16k", "32k", "64k"], files: perLength("LVEval", LVEVAL_TASKS, ["16k", "32k", "64k"]) },
    { benchmark: "longbench-v2", folder: "LongBench_v2", column: "LongBench_v2", protocol: "loom", files: [{ path: "LongBench_v2/longbench_v2.jsonl", task: "longbench_v2" }] },
    { benchmark: "niah", folder: "NIAH", column: "NIAH", files: "generated" },
    { benchmark: "infinitebench", folder: "InfiniteBench", column: "InfiniteBench", protocol: "loom", tasks: INFINITEBENCH_TASKS, files: files("InfiniteBench", INFINITEBENCH_TASKS) },
    { benchmark: "longwriter", folder: "LongWriter", column: "LongWriter", protocol: "loom", files: [] },
    { benchmark: "libra", folder: "LIBRA", column: "LIBRA", protocol: "loom", files: [] },
  ],
};
