/**
 * The official LongBench (v1) configuration, as facts: THUDM/LongBench @ 2e00731f8d0bff23dc4325161044d0ed8af94c1e,
 * folder `LongBench/` (config/dataset2prompt.json, config/dataset2maxlen.json, config/model2maxlen.json,
 * pred.py, eval.py), and the task grouping of LongBench/README.md and task.md.
 */

/** The 21 datasets, in pred.py's order. */
export const DATASETS = [
  "narrativeqa", "qasper", "multifieldqa_en", "multifieldqa_zh", "hotpotqa", "2wikimqa", "musique",
  "dureader", "gov_report", "qmsum", "multi_news", "vcsum", "trec", "triviaqa", "samsum", "lsht",
  "passage_count", "passage_retrieval_en", "passage_retrieval_zh", "lcc", "repobench-p",
] as const;
export type Dataset = (typeof DATASETS)[number];

/** The 13 LongBench-E datasets (pred.py with `--e`, in its order); their data files are `<dataset>_e.jsonl`. */
export const E_DATASETS = [
  "qasper", "multifieldqa_en", "hotpotqa", "2wikimqa", "gov_report", "multi_news",
  "trec", "triviaqa", "samsum", "passage_count", "passage_retrieval_en", "lcc", "repobench-p",
] as const satisfies readonly Dataset[];
export type EDataset = (typeof E_DATASETS)[number];

export function isDataset(name: string): name is Dataset {
  return (DATASETS as readonly string[]).includes(name);
}
export function isEDataset(name: string): name is EDataset {
  return (E_DATASETS as readonly string[]).includes(name);
}

/** config/dataset2prompt.json, byte for byte: Python `str.format` templates over the record's fields. */
export const DATASET2PROMPT: Readonly<Record<Dataset, string>> = {
  "narrativeqa":
    "You are given a story, which can be either a novel or a movie script, and a question. Answer the question asconcisely as you can, using a single phrase if possible. Do not provide any explanation.\n\nStory: {context}\n\nNow, answer the question based on the story asconcisely as you can, using a single phrase if possible. Do not provide any explanation.\n\nQuestion: {input}\n\nAnswer:",
  "qasper":
    "You are given a scientific article and a question. Answer the question as concisely as you can, using a single phrase or sentence if possible. If the question cannot be answered based on the information in the article, write \"unanswerable\". If the question is a yes/no question, answer \"yes\", \"no\", or \"unanswerable\". Do not provide any explanation.\n\nArticle: {context}\n\n Answer the question based on the above article as concisely as you can, using a single phrase or sentence if possible. If the question cannot be answered based on the information in the article, write \"unanswerable\". If the question is a yes/no question, answer \"yes\", \"no\", or \"unanswerable\". Do not provide any explanation.\n\nQuestion: {input}\n\nAnswer:",
  "multifieldqa_en":
    "Read the following text and answer briefly.\n\n{context}\n\nNow, answer the following question based on the above text, only give me the answer and do not output any other words.\n\nQuestion: {input}\nAnswer:",
  "multifieldqa_zh":
    "阅读以下文字并用中文简短回答：\n\n{context}\n\n现在请基于上面的文章回答下面的问题，只告诉我答案，不要输出任何其他字词。\n\n问题：{input}\n回答：",
  "hotpotqa":
    "Answer the question based on the given passages. Only give me the answer and do not output any other words.\n\nThe following are given passages.\n{context}\n\nAnswer the question based on the given passages. Only give me the answer and do not output any other words.\n\nQuestion: {input}\nAnswer:",
  "2wikimqa":
    "Answer the question based on the given passages. Only give me the answer and do not output any other words.\n\nThe following are given passages.\n{context}\n\nAnswer the question based on the given passages. Only give me the answer and do not output any other words.\n\nQuestion: {input}\nAnswer:",
  "musique":
    "Answer the question based on the given passages. Only give me the answer and do not output any other words.\n\nThe following are given passages.\n{context}\n\nAnswer the question based on the given passages. Only give me the answer and do not output any other words.\n\nQuestion: {input}\nAnswer:",
  "dureader":
    "请基于给定的文章回答下述问题。\n\n文章：{context}\n\n请基于上述文章回答下面的问题。\n\n问题：{input}\n回答：",
  "gov_report":
    "You are given a report by a government agency. Write a one-page summary of the report.\n\nReport:\n{context}\n\nNow, write a one-page summary of the report.\n\nSummary:",
  "qmsum":
    "You are given a meeting transcript and a query containing a question or instruction. Answer the query in one or more sentences.\n\nTranscript:\n{context}\n\nNow, answer the query based on the above meeting transcript in one or more sentences.\n\nQuery: {input}\nAnswer:",
  "multi_news":
    "You are given several news passages. Write a one-page summary of all news. \n\nNews:\n{context}\n\nNow, write a one-page summary of all the news.\n\nSummary:",
  "vcsum":
    "下面有一段会议记录，请你阅读后，写一段总结，总结会议的内容。\n会议记录：\n{context}\n\n会议总结：",
  "trec":
    "Please determine the type of the question below. Here are some examples of questions.\n\n{context}\n{input}",
  "triviaqa":
    "Answer the question based on the given passage. Only give me the answer and do not output any other words. The following are some examples.\n\n{context}\n\n{input}",
  "samsum":
    "Summarize the dialogue into a few short sentences. The following are some examples.\n\n{context}\n\n{input}",
  "lsht":
    "请判断给定新闻的类别，下面是一些例子。\n\n{context}\n{input}",
  "passage_count":
    "There are some paragraphs below sourced from Wikipedia. Some of them may be duplicates. Please carefully read these paragraphs and determine how many unique paragraphs there are after removing duplicates. In other words, how many non-repeating paragraphs are there in total?\n\n{context}\n\nPlease enter the final count of unique paragraphs after removing duplicates. The output format should only contain the number, such as 1, 2, 3, and so on.\n\nThe final answer is: ",
  "passage_retrieval_en":
    "Here are 30 paragraphs from Wikipedia, along with an abstract. Please determine which paragraph the abstract is from.\n\n{context}\n\nThe following is an abstract.\n\n{input}\n\nPlease enter the number of the paragraph that the abstract is from. The answer format must be like \"Paragraph 1\", \"Paragraph 2\", etc.\n\nThe answer is: ",
  "passage_retrieval_zh":
    "以下是若干段落文字，以及其中一个段落的摘要。请确定给定的摘要出自哪一段。\n\n{context}\n\n下面是一个摘要\n\n{input}\n\n请输入摘要所属段落的编号。答案格式必须是\"段落1\"，\"段落2\"等格式\n\n答案是：",
  "lcc":
    "Please complete the code given below. \n{context}Next line of code:\n",
  "repobench-p":
    "Please complete the code given below. \n{context}{input}Next line of code:\n",
};

/** config/dataset2maxlen.json: `max_new_tokens` per dataset. */
export const DATASET2MAXLEN: Readonly<Record<Dataset, number>> = {
  "narrativeqa": 128,
  "qasper": 128,
  "multifieldqa_en": 64,
  "multifieldqa_zh": 64,
  "hotpotqa": 32,
  "2wikimqa": 32,
  "musique": 32,
  "dureader": 128,
  "gov_report": 512,
  "qmsum": 512,
  "multi_news": 512,
  "vcsum": 512,
  "trec": 64,
  "triviaqa": 32,
  "samsum": 128,
  "lsht": 64,
  "passage_count": 32,
  "passage_retrieval_en": 32,
  "passage_retrieval_zh": 32,
  "lcc": 64,
  "repobench-p": 64,
};

/**
 * config/model2maxlen.json: the prompt budget (tokens) pred.py truncates to for each model it
 * knows. loomscope truncates to the user's `--max-length`; these are the official defaults.
 */
export const MODEL2MAXLEN: Readonly<Record<string, number>> = {
  "llama2-7b-chat-4k": 3500,
  "longchat-v1.5-7b-32k": 31500,
  "xgen-7b-8k": 7500,
  "internlm-7b-8k": 7500,
  "chatglm2-6b": 31500,
  "chatglm2-6b-32k": 31500,
  "chatglm3-6b-32k": 31500,
  "vicuna-v1.5-7b-16k": 15500,
};

/** pred.py: "chat models are better off without build prompts on these tasks" — no chat template. */
export const NO_CHAT_DATASETS: readonly Dataset[] = ["trec", "triviaqa", "samsum", "lsht", "lcc", "repobench-p"];

/** eval.py `scorer` / `scorer_e`: only the first line of the prediction is scored. */
export const FIRST_LINE_DATASETS: readonly Dataset[] = ["trec", "triviaqa", "samsum", "lsht"];

/** The metric function eval.py's `dataset2metric` maps each dataset to (metrics.py names). */
export type OfficialMetricName =
  | "qa_f1_score"
  | "qa_f1_zh_score"
  | "rouge_score"
  | "rouge_zh_score"
  | "classification_score"
  | "retrieval_score"
  | "retrieval_zh_score"
  | "count_score"
  | "code_sim_score";

/** eval.py `dataset2metric`. */
export const DATASET2METRIC: Readonly<Record<Dataset, OfficialMetricName>> = {
  narrativeqa: "qa_f1_score",
  qasper: "qa_f1_score",
  multifieldqa_en: "qa_f1_score",
  multifieldqa_zh: "qa_f1_zh_score",
  hotpotqa: "qa_f1_score",
  "2wikimqa": "qa_f1_score",
  musique: "qa_f1_score",
  dureader: "rouge_zh_score",
  gov_report: "rouge_score",
  qmsum: "rouge_score",
  multi_news: "rouge_score",
  vcsum: "rouge_zh_score",
  trec: "classification_score",
  triviaqa: "qa_f1_score",
  samsum: "rouge_score",
  lsht: "classification_score",
  passage_retrieval_en: "retrieval_score",
  passage_count: "count_score",
  passage_retrieval_zh: "retrieval_zh_score",
  lcc: "code_sim_score",
  "repobench-p": "code_sim_score",
};

export type Category =
  | "Single-Document QA"
  | "Multi-Document QA"
  | "Summarization"
  | "Few-shot Learning"
  | "Synthetic Tasks"
  | "Code Completion";

/** The task categories of LongBench/README.md's leaderboard and task.md. */
export const DATASET_CATEGORY: Readonly<Record<Dataset, Category>> = {
  narrativeqa: "Single-Document QA",
  qasper: "Single-Document QA",
  multifieldqa_en: "Single-Document QA",
  multifieldqa_zh: "Single-Document QA",
  hotpotqa: "Multi-Document QA",
  "2wikimqa": "Multi-Document QA",
  musique: "Multi-Document QA",
  dureader: "Multi-Document QA",
  gov_report: "Summarization",
  qmsum: "Summarization",
  multi_news: "Summarization",
  vcsum: "Summarization",
  trec: "Few-shot Learning",
  triviaqa: "Few-shot Learning",
  samsum: "Few-shot Learning",
  lsht: "Few-shot Learning",
  passage_count: "Synthetic Tasks",
  passage_retrieval_en: "Synthetic Tasks",
  passage_retrieval_zh: "Synthetic Tasks",
  lcc: "Code Completion",
  "repobench-p": "Code Completion",
};
export const CATEGORIES: readonly Category[] = [
  "Single-Document QA", "Multi-Document QA", "Summarization", "Few-shot Learning", "Code Completion", "Synthetic Tasks",
];

/** Language of each dataset (task.md): code datasets are Python/C#/Java. */
export const DATASET_LANGUAGE: Readonly<Record<Dataset, "en" | "zh" | "code">> = {
  narrativeqa: "en",
  qasper: "en",
  multifieldqa_en: "en",
  multifieldqa_zh: "zh",
  hotpotqa: "en",
  "2wikimqa": "en",
  musique: "en",
  dureader: "zh",
  gov_report: "en",
  qmsum: "en",
  multi_news: "en",
  vcsum: "zh",
  trec: "en",
  triviaqa: "en",
  samsum: "en",
  lsht: "zh",
  passage_count: "en",
  passage_retrieval_en: "en",
  passage_retrieval_zh: "zh",
  lcc: "code",
  "repobench-p": "code",
};

/** eval.py `scorer_e`: `length < 4000` → 0-4k, `< 8000` → 4-8k, else 8k+ (the record's `length` field). */
export const E_BUCKETS = ["0-4k", "4-8k", "8k+"] as const;
export type EBucket = (typeof E_BUCKETS)[number];
export function eBucket(length: number): EBucket {
  if (length < 4000) return "0-4k";
  if (length < 8000) return "4-8k";
  return "8k+";
}

/**
 * LOOM-Scope's README "Subtasks Unsuitable for Retrieval" for LongBench (loom_scope 0.1 PKG-INFO):
 * retrieving chunks of the context is not meaningful for these.
 */
export const RETRIEVAL_UNSUITABLE: readonly Dataset[] = [
  "gov_report", "vcsum", "multi_news", "samsum", "passage_count", "passage_retrieval_en",
  "passage_retrieval_zh", "lcc", "repobench-p", "trec", "lsht",
];
