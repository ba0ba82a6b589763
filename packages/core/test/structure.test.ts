/**
 * The runner stays a set of stages a newcomer can read one at a time: no function in core's source
 * is longer than 120 lines (issue: "the house for 22 benchmarks"). Counted with the TypeScript
 * parser, so arrow functions and methods count as well as declarations.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src", import.meta.url));
const MAX_LINES = 120;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every function-like node with a body longer than `max` lines, as `file:line name (n lines)`. */
export function longFunctions(file: string, text: string, max: number): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      const last = source.getLineAndCharacterOfPosition(node.end).line + 1;
      if (last - first + 1 > max) {
        const parent = node.parent;
        const name = (node as ts.FunctionLikeDeclaration).name?.getText() ?? (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) ? parent.name.getText() : "<anonymous>");
        found.push(`${file}:${first} ${name} (${last - first + 1} lines)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("core's shape", () => {
  it("finds a long function (the check can fail)", () => {
    const body = Array.from({ length: MAX_LINES }, (_, i) => `  const v${i} = ${i};`).join("\n");
    expect(longFunctions("x.ts", `const f = () => {\n${body}\n};`, MAX_LINES)).toEqual(["x.ts:1 f (122 lines)"]);
    expect(longFunctions("x.ts", "function g() {\n  return 1;\n}", MAX_LINES)).toEqual([]);
  });

  it(`has no function over ${MAX_LINES} lines`, () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((f) => longFunctions(f.slice(SRC.length + 1), readFileSync(f, "utf8"), MAX_LINES))).toEqual([]);
  });
});
