/**
 * The official LV-Eval configuration (github.com/infinigence/LVEval @ 63e7ae9 config.py, unchanged since v0.1 25aebcb): datasets,
 * length levels, prompts, generation limits and metrics, with the README's single-hop / multi-hop
 * grouping and the record counts per level.
 */

const EN_ONE_PASSAGE =
  "Please answer the following question based on the given passages. Questions and answers are only relevant to one passage. Only give me the answer and do not output any other explanation and evidence.\n\nArticle: {context}\n\nPlease answer the following question based on the above passages. Questions and answers are only relevant to one passage. Only give me the answer and do not output any other explanation and evidence.\n\nQuestion: {input}\nAnswer:";
/** cmrc, lic and dureader differ only in "现在请" / "请现在". */
const ZH_CONTEXT = (now: string) => `请根据下面给定的文章回答问题，问题和答案只与其中一篇文章有关。\n\n文章：{context}\n\n${now}基于上述文章回答下面的问题，问题和答案只与其中一篇文章有关。\n\n问题：{input}\n回答：`;

/** The official metric functions (`DATASET_METRIC`), by their metrics.py names. */
export type OfficialMetric = "qa_f1_score" | "qa_f1_score_with_gold_ans" | "qa_f1_zh_score" | "qa_f1_zh_score_with_gold_ans" | "rouge_zh_score_blacklist";
export type Hop = "single-hop" | "multi-hop";

interface DatasetConfig {
  language: "en" | "zh";
  hop: Hop;
  /** `DATASET_MAXGEN`. */
  maxgen: number;
  /** `DATASET_PROMPT`: a Python `str.format` template over the record's fields. */
  prompt: string;
  metric: OfficialMetric;
  /** Records per length level (README "#QA pairs"; factrecall: 200 contexts). */
  count: number;
}

/** config.py's datasets in its order; hop as the README tables group them (loogle_MIR_mixup is its loogle-MR-mixup). */
export const CONFIG = {
  hotpotwikiqa_mixup: { language: "en", hop: "multi-hop", maxgen: 64, metric: "qa_f1_score_with_gold_ans", count: 124,
    prompt: "Answer the question based on the given passages. Questions and answers are only relevant to some passages. Only give me the answer and do not output any other explanation and evidence.\n\nArticle: {context}\n\nPlease answer the following question based on the above passages. Questions and answers are only relevant to some passages. Only give me the answer and do not output any other explanation and evidence.\n\nQuestion: {input}\nAnswer:" },
  loogle_SD_mixup: { language: "en", hop: "single-hop", maxgen: 64, metric: "qa_f1_score_with_gold_ans", count: 160, prompt: EN_ONE_PASSAGE },
  loogle_CR_mixup: { language: "en", hop: "multi-hop", maxgen: 64, metric: "qa_f1_score_with_gold_ans", count: 99, prompt: EN_ONE_PASSAGE },
  loogle_MIR_mixup: { language: "en", hop: "multi-hop", maxgen: 64, metric: "qa_f1_score_with_gold_ans", count: 139, prompt: EN_ONE_PASSAGE },
  multifieldqa_en_mixup: { language: "en", hop: "single-hop", maxgen: 64, metric: "qa_f1_score_with_gold_ans", count: 101, prompt: EN_ONE_PASSAGE },
  multifieldqa_zh_mixup: { language: "zh", hop: "single-hop", maxgen: 64, metric: "qa_f1_zh_score_with_gold_ans", count: 133,
    prompt: "请阅读以下文章并用中文回答问题，问题和答案只与其中一篇文章有关。只需要直接给出问题的答案，不要输出其他任何解释和证据。\n\n文章：{context}\n\n请基于上面的文章回答下面的问题，问题和答案只与其中一篇文章有关。只需要直接给出问题的答案，不要输出其他任何解释和证据。\n\n问题：{input}\n回答：" },
  factrecall_en: { language: "en", hop: "single-hop", maxgen: 16, metric: "qa_f1_score", count: 200,
    prompt: "Please answer the following questions based on the given article.\n\nArticle: {context}\n\nPlease answer the following questions based on the above article.\n\nQuestion: {input}\nAnswer:" },
  factrecall_zh: { language: "zh", hop: "single-hop", maxgen: 16, metric: "qa_f1_zh_score", count: 200,
    prompt: "请基于给定的文章回答下述问题。\n\n文章：{context}\n\n现在请基于上述文章回答下面的问题。\n\n问题：{input}\n回答：" },
  cmrc_mixup: { language: "zh", hop: "single-hop", maxgen: 64, metric: "qa_f1_zh_score_with_gold_ans", count: 200, prompt: ZH_CONTEXT("现在请") },
  lic_mixup: { language: "zh", hop: "multi-hop", maxgen: 64, metric: "qa_f1_zh_score_with_gold_ans", count: 197, prompt: ZH_CONTEXT("请现在") },
  dureader_mixup: { language: "zh", hop: "multi-hop", maxgen: 64, metric: "rouge_zh_score_blacklist", count: 176, prompt: ZH_CONTEXT("现在请") },
} as const satisfies Record<string, DatasetConfig>;

export type DatasetName = keyof typeof CONFIG;
export const DATASETS = Object.keys(CONFIG) as DatasetName[];
/** `DATASET_LENGTH_LEVEL` of config.py: levels named by the contexts' word counts. */
export const LENGTH_LEVELS = ["16k", "32k", "64k", "128k", "256k"] as const;
export type LengthLevel = (typeof LENGTH_LEVELS)[number];

const pick = <K extends keyof DatasetConfig>(key: K) => Object.fromEntries(DATASETS.map((d) => [d, CONFIG[d][key]])) as Record<DatasetName, DatasetConfig[K]>;
export const DATASET_MAXGEN = pick("maxgen");
export const DATASET_PROMPT = pick("prompt");
export const DATASET_METRIC = pick("metric");
export const DATASET_HOP = pick("hop");
export const DATASET_LANGUAGE = pick("language");
export const OFFICIAL_COUNTS = pick("count");

/** Hugging Face dataset repository; one zip per dataset holding `<dataset>/<dataset>_<len>.jsonl`. */
export const HF_REPO = "Infinigence/LVEval";
export const zipPath = (dataset: DatasetName): string => `${dataset}.zip`;
export const jsonlName = (dataset: DatasetName, length: string): string => `${dataset}_${length}.jsonl`;
/** Where a level's records are looked for under `--data-dir`, in this order (the official scripts read `<data_path>/<dataset>_<len>.jsonl`). */
export const localCandidates = (dataset: DatasetName, length: string): string[] => {
  const file = jsonlName(dataset, length);
  return [file, `${dataset}/${file}`, `LVEval/${file}`, `LVEval/${dataset}/${file}`];
};

export const isDataset = (name: string): name is DatasetName => name in CONFIG;

/** `re.split('_.{1,3}k', dataset)[0]` of prediction.py / evaluation.py (Python `.` skips only "\n"). */
export function datasetNameOf(fileStem: string): string {
  const m = /_[^\n]{1,3}k/u.exec(fileStem);
  return m ? fileStem.slice(0, m.index) : fileStem;
}
