/**
 * Conformance on a --data-dir in the hub layout (the fixture's needle sets and two books) with the
 * regex tokenizer the parity fixture was made with.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestBenchmarkContext, runBenchmarkConformance } from "@loomscope/testkit";
import nolima from "../src/index.js";
import { FIXTURES } from "./helpers.js";
import { toyTokenizer } from "./toy-tokenizer.js";

const dataDir = mkdtempSync(join(tmpdir(), "nolima-conformance-"));
mkdirSync(join(dataDir, "needlesets"));
mkdirSync(join(dataDir, "haystack", "rand_shuffle"), { recursive: true });
for (const f of readdirSync(join(FIXTURES, "data", "needlesets"))) copyFileSync(join(FIXTURES, "data", "needlesets", f), join(dataDir, "needlesets", f));
for (const b of ["rand_book_1", "rand_book_2"]) copyFileSync(join(FIXTURES, "data", "books", `${b}.txt`), join(dataDir, "haystack", "rand_shuffle", `${b}.txt`));
const tokenizer = toyTokenizer();

runBenchmarkConformance(nolima, {
  packageDir: fileURLToPath(new URL("..", import.meta.url)),
  context: () => createTestBenchmarkContext({ dataDir, tokenizer }),
  requests: [
    { task: "needle_set", length: "250", limit: 3 },
    { task: "needle_set_w_Distractor", length: "500", limit: 2 },
  ],
});
