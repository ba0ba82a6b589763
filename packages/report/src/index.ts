export { loadRun, findRunDirs, isRunDir, compactRecord, deriveResults, DEFAULT_TEXT_LIMITS, type LoadedRun, type CompactSample, type TextLimits } from "./load.js";
export {
  buildReport,
  sortLengths,
  lengthValue,
  SAMPLE_FIELDS,
  type ReportData,
  type RunSummary,
  type LeaderboardRow,
  type ComparisonRow,
  type CellView,
  type CellKind,
  type BenchmarkView,
  type Significance,
  type LengthUnit,
  cellView,
  lengthUnit,
  pairedSignificance,
  NOT_RUN_TOO_LONG,
  type TruncationRow,
  type TruncationSummary,
  type SampleTable,
  type SampleRow,
} from "./model.js";
export { renderHtml, escapeHtml, scriptJson, chartLibrary, SECTIONS } from "./html.js";
export { toMarkdown, toCsv, toJson, leaderboardTable, cellText } from "./formats.js";
export { leaderboardView, leaderboardMarkdown, leaderboardCsv, leaderboardHtml, type LeaderboardView, type LeaderboardViewRow, type LeaderboardCell } from "./leaderboard.js";
export { reportCommand, buildReportFor, renderReport, renderLeaderboard, ReportFlagsSchema, ReportUsageError, REPORT_FORMATS, type ReportFormat, type ReportFlags, type ReportIo } from "./command.js";
export { startViewServer, viewCommand, type ViewServer, type ViewServerOptions } from "./view.js";
export { ablationMarkdown, ablationHtml, ablationScoreTable, ablationVariantTable, ablationCounterKeys, frontierPoints, frontierAxis, frontierSvg, type FrontierPoint } from "./ablation.js";
