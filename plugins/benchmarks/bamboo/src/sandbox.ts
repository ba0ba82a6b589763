/**
 * private_eval: BAMBOO runs model-written code (private_eval/execution.py `check_correctness`).
 * Here only with `allowCodeExecution: true`, each program in its own Python child process with a
 * wall-clock timeout, an address-space limit (RLIMIT_AS), no network where the OS allows it
 * (`unshare --net --map-root-user`, else refused unless `allowNetworkFallback`), and the
 * official reliability_guard's disabled functions. Result strings are the official ones:
 * "passed", "timed out", "failed: <exception>".
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { PY_WORD_CLASS_SOURCE } from "@loomscope/metrics";
import type { Problem } from "./data.js";

// execution.py's three keyword maps (constants, extracted by scripts/extract-keywords.py).
const KEYWORDS = JSON.parse(readFileSync(new URL("../data/keywords.json", import.meta.url), "utf8")) as Record<"pandas" | "torchdata" | "numpy", Record<string, string>>;

export class CodeExecutionRefused extends Error {
  readonly code = "CODE_EXECUTION_REFUSED";
}

/** `re.compile(r'\b[a-zA-Z_][a-zA-Z0-9_]*\b').findall`, with Python's Unicode-aware word boundaries. */
const IDENTIFIER = new RegExp(`(?<!${PY_WORD_CLASS_SOURCE})[a-zA-Z_][a-zA-Z0-9_]*(?!${PY_WORD_CLASS_SOURCE})`, "gu");

/** execution.py `convert_back`: map the paraphrased API names back, or "error!" when an original name is used. */
export function convertBack(completion: string, domain: "pandas" | "torchdata" | "numpy"): string {
  const dict = KEYWORDS[domain];
  const used = completion.match(IDENTIFIER) ?? [];
  const olds = new Set(Object.keys(dict));
  const news = new Set(Object.values(dict));
  if (used.some((kw) => olds.has(kw) && !news.has(kw))) return "error!";
  let out = completion;
  for (const [old, replacement] of Object.entries(dict)) out = out.split(replacement).join(old);
  return out;
}

export const domainOf = (taskId: string): "pandas" | "torchdata" | "numpy" =>
  taskId.toLowerCase().includes("numpy") ? "numpy" : taskId.toLowerCase().includes("pandas") ? "pandas" : "torchdata";


export function checkProgram(problem: Problem, completion: string): string {
  const call = problem.entry_point === "none" ? "check()" : `check(${problem.entry_point})`;
  return problem.prompt + completion + "\n" + problem.test + "\n" + call;
}

export interface SandboxOptions {
  allowCodeExecution?: boolean;
  /** The official per-program limit (evaluation.py: 3.0 s). */
  timeoutSeconds?: number;
  memoryBytes?: number;
  python?: string;
  /** Run without a network namespace when `unshare` is unavailable (network then only refused by environment). */
  allowNetworkFallback?: boolean;
}

// Our wrapper: limits, a temp working dir, the guard, swallowed IO, an interval timer, exec.
const WRAPPER = String.raw`
import sys, os, json, io, signal, resource, contextlib, faulthandler, tempfile
src, out_path, timeout, mem, work = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
program = open(src, encoding="utf-8").read()
resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
resource.setrlimit(resource.RLIMIT_DATA, (mem, mem))
os.environ.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", http_proxy="http://0.0.0.0:9", https_proxy="http://0.0.0.0:9")
result = "timed out"
class Timeout(Exception): pass
def on_alarm(signum, frame): raise Timeout("Timed out!")
class redirect_stdin(contextlib._RedirectStream):
    _stream = "stdin"
class WriteOnly(io.StringIO):
    def read(self, *a, **k): raise IOError
    def readline(self, *a, **k): raise IOError
    def readlines(self, *a, **k): raise IOError
    def readable(self, *a, **k): return False
# evaluation.py imports numpy before forking the executor: the program finds it already loaded.
try:
    import numpy
except ImportError:
    pass
os.makedirs(work)
os.chdir(work)
faulthandler.disable()
import builtins, shutil, subprocess
builtins.exit = None; builtins.quit = None
for name in ["kill","system","putenv","remove","removedirs","rmdir","fchdir","setuid","fork","forkpty","killpg","rename","renames","truncate","replace","unlink","fchmod","fchown","chmod","chown","chroot","lchflags","lchmod","lchown","getcwd","chdir"]:
    setattr(os, name, None)
shutil.rmtree = None; shutil.move = None; shutil.chown = None
subprocess.Popen = None
builtins.help = None
for m in ["ipdb","joblib","resource","psutil","tkinter"]: sys.modules[m] = None
try:
    stream = WriteOnly()
    with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream), redirect_stdin(stream):
        signal.setitimer(signal.ITIMER_REAL, timeout)
        signal.signal(signal.SIGALRM, on_alarm)
        try:
            exec(program, {})
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    result = "passed"
except Timeout:
    result = "timed out"
except BaseException as e:
    result = "failed: %s" % (e,)
with open(out_path, "w") as f:
    f.write(json.dumps(result))
`;

let unshareWorks: boolean | undefined;
function canUnshare(): boolean {
  if (unshareWorks === undefined) {
    const r = spawnSync("unshare", ["--net", "--map-root-user", "true"], { stdio: "ignore", timeout: 5000 });
    unshareWorks = r.status === 0;
  }
  return unshareWorks;
}

/** Run one check program; returns the official result string. */
export async function runProgram(program: string, options: SandboxOptions): Promise<string> {
  if (!options.allowCodeExecution) {
    throw new CodeExecutionRefused("private_eval executes model-written code: refused without allowCodeExecution (--allow-code-execution)");
  }
  const timeout = options.timeoutSeconds ?? 3.0;
  const mem = options.memoryBytes ?? 4 * 1024 ** 3;
  const python = options.python ?? "python3";
  const isolate = canUnshare();
  if (!isolate && !options.allowNetworkFallback) {
    throw new CodeExecutionRefused("cannot isolate the network (unshare --net failed); pass allowNetworkFallback to run with the network refused only by environment");
  }
  const dir = await mkdtemp(join(tmpdir(), "bamboo-exec-"));
  try {
    const src = join(dir, "program.py");
    const wrapper = join(dir, "wrapper.py");
    const out = join(dir, "result.json");
    await writeFile(src, program);
    await writeFile(wrapper, WRAPPER);
    // The program's working folder lies inside ours, so it goes when we remove ours.
    const args = [wrapper, src, out, String(timeout), String(mem), join(dir, "work")];
    const [cmd, argv] = isolate ? ["unshare", ["--net", "--map-root-user", python, ...args]] : [python, args];
    await new Promise<void>((resolve) => {
      const child = spawn(cmd, argv as string[], { stdio: "ignore", env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", LANG: "C.UTF-8" } });
      // execution.py: p.join(timeout=timeout + 1); p.kill() if still alive.
      const timer = setTimeout(() => child.kill("SIGKILL"), (timeout + 1) * 1000);
      child.on("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      return JSON.parse(await readFile(out, "utf8")) as string;
    } catch {
      return "timed out"; // execution.py: an empty result list reads as "timed out"
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
