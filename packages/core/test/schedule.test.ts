import { describe, expect, it } from "vitest";
import { AdaptiveLimiter } from "../src/run/limiter.js";
import { COLD_WHILE_SIBLINGS_WAIT, createDispatchOrder, MIN_SHARED_BLOCKS, resolveSchedule, PREFIX_BLOCK_CHARS, prefixBlocks, scheduleItem, type ScheduleItem, type SchedulePolicy } from "../src/run/schedule.js";

const raw = (text: string) => ({ kind: "raw" as const, text });
const words = (seed: string, chars: number) => {
  let out = "";
  for (let i = 0; out.length < chars; i++) out += `${seed}${i} `;
  return out.slice(0, chars);
};

/** A limiter under `policy` with `slots` slots; `start` queues items and records the order they are granted. */
function harness(policy: SchedulePolicy, slots: number) {
  const limiter = new AdaptiveLimiter(slots, undefined, createDispatchOrder(policy));
  const started: string[] = [];
  const start = (name: string, item: ScheduleItem) => {
    return limiter.acquire(undefined, false, item).then(() => {
      started.push(name);
    });
  };
  return { limiter, started, start, flush: () => new Promise((r) => setImmediate(r)) };
}

describe("prefixBlocks", () => {
  it("gives equal hashes for equal prefixes and different ones after the first difference", () => {
    const doc = words("doc", PREFIX_BLOCK_CHARS * 6);
    const a = prefixBlocks(`${doc} question one?`);
    const b = prefixBlocks(`${doc} question two, a longer one, spanning ${"x".repeat(PREFIX_BLOCK_CHARS)}`);
    expect(a).toHaveLength(6);
    expect(b.slice(0, 6)).toEqual(a);
    const c = prefixBlocks(`${doc.slice(0, PREFIX_BLOCK_CHARS * 3)}Z${doc.slice(PREFIX_BLOCK_CHARS * 3 + 1)}`);
    expect(c.slice(0, 3)).toEqual(a.slice(0, 3));
    expect(c[3]).not.toBe(a[3]);
    expect(c[4]).not.toBe(a[4]);
  });

  it("hashes chat messages with their roles", () => {
    const text = words("m", PREFIX_BLOCK_CHARS * 2);
    const user = prefixBlocks({ kind: "chat", messages: [{ role: "user", content: text }] });
    const system = prefixBlocks({ kind: "chat", messages: [{ role: "system", content: text }] });
    expect(user[0]).not.toBe(system[0]);
  });
});

describe("resolveSchedule", () => {
  it("keeps what was asked; by default prefix where the server caches prefixes, longest where it cannot", () => {
    expect(resolveSchedule("official", ["prefix-cache"])).toBe("official");
    expect(resolveSchedule("prefix", [])).toBe("prefix");
    expect(resolveSchedule(undefined, ["kv.context-shift", "prefix-cache"])).toBe("prefix");
    expect(resolveSchedule(undefined, ["kv.erase-range"])).toBe("longest");
  });
});

describe("dispatch order", () => {
  it("longest: the longest waiting prompt takes a freed slot; ties keep the official order", async () => {
    const h = harness("longest", 1);
    const item = (order: number, size: number) => scheduleItem(order, raw("x"), size, "longest");
    const first = item(0, 10);
    await h.start("first", first);
    const rest = [h.start("short", item(1, 100)), h.start("long", item(2, 9000)), h.start("mid-a", item(3, 500)), h.start("mid-b", item(4, 500))];
    await h.flush();
    expect(h.started).toEqual(["first"]);
    // Release one slot at a time and see who takes it.
    for (let i = 0; i < 4; i++) {
      h.limiter.release();
      await h.flush();
    }
    await Promise.all(rest);
    expect(h.started).toEqual(["first", "long", "mid-a", "mid-b", "short"]);
  });

  it("prefix: the first of a group goes alone, its siblings follow once it finished, before unrelated samples", async () => {
    const h = harness("prefix", 4);
    const doc = words("document", PREFIX_BLOCK_CHARS * (MIN_SHARED_BLOCKS + 4));
    const sibling = (order: number, q: string) => scheduleItem(order, raw(`${doc}\nQuestion: ${q}`), doc.length / 4 + q.length, "prefix");
    const lone = (order: number, size: number) => scheduleItem(order, raw(words(`lone${order}-`, PREFIX_BLOCK_CHARS * 3)), size, "prefix");
    const a1 = sibling(0, "who?");
    const done = [h.start("a1", a1), h.start("a2", sibling(1, "what?")), h.start("a3", sibling(2, "when, and where?")), h.start("b", lone(3, 50)), h.start("c", lone(4, 5000))];
    await h.flush();
    // Four free slots: a1 leads its group; a2 and a3 would compute the same document again, so they
    // wait. While they wait, at most COLD_WHILE_SIBLINGS_WAIT (2) requests without a prefix to reuse
    // run: b takes a slot, c waits (a full server would queue a2 and a3 behind it).
    expect(COLD_WHILE_SIBLINGS_WAIT).toBe(2);
    expect(h.started).toEqual(["a1", "b"]);
    expect(h.limiter.inFlight).toBe(2);
    h.limiter.release(a1);
    await h.flush();
    // a1 finished: its siblings reuse its prefix first, then c.
    expect(h.started.slice(2)).toEqual(["a3", "a2", "c"]);
    await Promise.all(done);
  });

  it("prefix: a group's leader starts before a longer unrelated sample, and warm siblings before new leaders", async () => {
    const h = harness("prefix", 1);
    const doc = (name: string) => words(name, PREFIX_BLOCK_CHARS * (MIN_SHARED_BLOCKS + 2));
    const d1 = doc("first"),
      d2 = doc("second");
    const item = (order: number, text: string, size: number) => scheduleItem(order, raw(text), size, "prefix");
    const blocker = item(0, "tiny", 1);
    await h.start("blocker", blocker);
    const x1 = item(1, `${d1} q1`, 1000);
    const x2 = item(2, `${d1} q2`, 1000);
    const y1 = item(3, `${d2} q1`, 1000);
    const y2 = item(4, `${d2} q2`, 1000);
    const big = item(5, words("unrelated", PREFIX_BLOCK_CHARS * 8), 90_000);
    const all = [h.start("x1", x1), h.start("x2", x2), h.start("y1", y1), h.start("y2", y2), h.start("big", big)];
    await h.flush();
    const byName: Record<string, ScheduleItem> = { blocker, x1, x2, y1, y2, big };
    for (let i = 0; i < 5; i++) {
      h.limiter.release(byName[h.started.at(-1)!]);
      await h.flush();
    }
    h.limiter.release(byName[h.started.at(-1)!]);
    await Promise.all(all);
    expect(h.started).toEqual(["blocker", "x1", "x2", "y1", "y2", "big"]);
  });

  it("prefix: every request starts, never more than the slots at once, whatever order requests finish in", async () => {
    const slots = 8;
    const limiter = new AdaptiveLimiter(slots, undefined, createDispatchOrder("prefix"));
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const docs = Array.from({ length: 12 }, (_, d) => words(`doc${d}-`, PREFIX_BLOCK_CHARS * (MIN_SHARED_BLOCKS + 1 + d)));
    const running: ScheduleItem[] = [];
    let started = 0;
    let peak = 0;
    const all: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      const text = rand() < 0.7 ? `${docs[Math.floor(rand() * docs.length)]} question ${i}` : words(`single${i}-`, PREFIX_BLOCK_CHARS * 3);
      const item = scheduleItem(i, raw(text), text.length, "prefix");
      all.push(
        limiter.acquire(undefined, false, item).then(() => {
          started++;
          running.push(item);
          peak = Math.max(peak, limiter.inFlight);
        }),
      );
      // Now and then a request finishes, at random.
      if (rand() < 0.5 && running.length > 0) limiter.release(running.splice(Math.floor(rand() * running.length), 1)[0]);
      await new Promise((r) => setImmediate(r));
    }
    while (started < 200) {
      expect(running.length).toBeGreaterThan(0); // something runs, so the waiting ones will go
      limiter.release(running.splice(Math.floor(rand() * running.length), 1)[0]);
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(all);
    expect(peak).toBeLessThanOrEqual(slots);
  });

  it("an abort wakes the waiters of the pool, held ones included", async () => {
    const limiter = new AdaptiveLimiter(1, undefined, createDispatchOrder("prefix"));
    const controller = new AbortController();
    const doc = words("d", PREFIX_BLOCK_CHARS * 8);
    const first = scheduleItem(0, raw(`${doc}1`), 10, "prefix");
    await limiter.acquire(controller.signal, false, first);
    const waiting = limiter.acquire(controller.signal, false, scheduleItem(1, raw(`${doc}2`), 10, "prefix"));
    controller.abort(new Error("stop"));
    limiter.wakeAll();
    await expect(waiting).rejects.toThrow("stop");
  });
});
