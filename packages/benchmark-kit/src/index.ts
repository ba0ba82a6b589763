/**
 * @loomscope/benchmark-kit: a benchmark as data. Declare the task table (`defineTasks`), where the
 * rows are and what a row looks like (`defineDatasetBenchmark`), or cheap ids and a generator
 * (`defineGeneratedBenchmark`); the kit supplies the sample pipeline core runs.
 */
export { defineTasks, resolveTask, taskInProtocol, toTaskSpec, promptFromRow, tokenLevels, wordLevels, type TaskRow, type TaskPrompt, type ResolvedTask } from "./tasks.js";
export {
  assemble,
  optionDefaults,
  type CommonDefinition,
  type KitBenchmark,
  type KitStats,
  type OptionValues,
  type OptionsShape,
  type SampleBody,
  type Settings,
  type Unit,
} from "./base.js";
export { defineDatasetBenchmark, rowId, type DatasetBenchmarkDefinition, type DatasetSource, type RowRef, type OneSamplePerRow, type SamplesPerRow, type SideFiles } from "./dataset.js";
export { defineGeneratedBenchmark, type GeneratedBenchmarkDefinition, type GenerateContext } from "./generated.js";
export { hfFile, urlFile, formatOf, describeDataFile, openRows, resolveDataFile, type DataFile, type LocalFile, type RowFormat } from "./sources.js";
export { jsonElements, parseCsv, parquetRows, tarMember, type RawRow } from "./readers.js";
export { pinnedFileFor, pinnedDataFile, sampleIdsPin, checkPinnedIds, unitIdsPin } from "./pinned.js";
export { loadFileTarget, loadTaskFile, type FileTarget, type TaskFile } from "./taskfile.js";
export { lengthTable, loomPooledAggregate, pivotTable, type LengthTableOptions, type LoomPooledOptions, type PivotOptions } from "./aggregate.js";
export { officialScoreError, pathExists, readOfficialJson, writeOfficialFiles } from "./official.js";
export { PAUL_GRAHAM_ESSAYS, RULER_NOISE_SENTENCES, paulGrahamEssay, readPaulGrahamEssays } from "./essays.js";
