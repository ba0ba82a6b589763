#!/usr/bin/env node
/**
 * Writes the small official-format data fixture: test/fixtures/hub/<dataset>/test-00000-of-00001.parquet,
 * the layout of the Hugging Face dataset ai-forever/LIBRA (one parquet per config, every length in
 * one file, `positive_outputs` / `negative_outputs` as lists of strings as `datasets` writes them).
 * The rows are made up here (synthetic Russian text), never copied from the dataset.
 *
 *     npm install --no-save hyparquet-writer@0.17.0   # not a project dependency
 *     node scripts/make-data-fixture.mjs
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parquetWriteBuffer } from "hyparquet-writer";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures", "hub");
const filler = (n) => "Трава зелёная. Небо голубое. Солнце жёлтое. ".repeat(n);

/** Rows per dataset: every length of the dataset in one file, in file order. */
export const ROWS = {
  passkey: [
    { length: "4k", context: `${filler(20)}Ключ доступа: 71432. Запомни его. ${filler(20)}`, input: "Какой ключ доступа?", positive_outputs: ["71432"], negative_outputs: [] },
    { length: "8k", context: `${filler(40)}Ключ доступа: 90211. Вопрос в тексте: {input} ${filler(40)}`, input: "Какой ключ доступа?", positive_outputs: ["90211"], negative_outputs: [] },
    { length: "4k", context: `${filler(20)}Ключ доступа: 55123. ${filler(20)}`, input: "Какой ключ доступа?", positive_outputs: ["55123"], negative_outputs: [] },
    { length: "8k", context: `${filler(40)}Ключ доступа: 30807. ${filler(40)}`, input: "Какой ключ доступа?", positive_outputs: ["30807"], negative_outputs: [] },
  ],
  matreshka_yes_no: [
    { length: "4k", context: "Диалог 1. — Привет! Как дела? — Отлично, обсуждали футбол.", input: "Была ли тема «футбол»?", positive_outputs: ["Да"], negative_outputs: ["Нет"] },
    { length: "4k", context: "Диалог 2. — Что нового? — Купил новую машину.", input: "Была ли тема «погода»?", positive_outputs: ["Нет"], negative_outputs: ["Да"] },
  ],
  ru_sci_passage_count: [
    { length: "4k", context: "Параграф 1: Белки. Параграф 2: Жиры. Параграф 3: Белки.", input: "Сколько уникальных параграфов?", positive_outputs: ["2"], negative_outputs: [] },
    { length: "4k", context: "Параграф 1: Вода. Параграф 2: Лёд. Параграф 3: Пар.", input: "Сколько уникальных параграфов?", positive_outputs: ["3"], negative_outputs: [] },
  ],
  ru_qasper: [
    { length: "8k", context: "Статья. В работе используется модель BERT для классификации текстов на русском языке.", input: "Какая модель используется?", positive_outputs: ["модель BERT"], negative_outputs: [] },
  ],
};

const listOfStrings = (name) => [
  { name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
];
const str = (name) => ({ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" });

for (const [dataset, rows] of Object.entries(ROWS)) {
  const columns = ["context", "input", "positive_outputs", "negative_outputs", "length"];
  const buffer = parquetWriteBuffer({
    columnData: columns.map((name) => ({ name, data: rows.map((r) => r[name]) })),
    schema: [{ name: "schema", num_children: columns.length }, str("context"), str("input"), ...listOfStrings("positive_outputs"), ...listOfStrings("negative_outputs"), str("length")],
    createdBy: "loomscope libra fixture",
  });
  const file = join(OUT, dataset, "test-00000-of-00001.parquet");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, Buffer.from(buffer));
  console.log(`${file}: ${rows.length} rows`);
}
