import { describe, expect, it } from "vitest";
import type { QueueMetrics } from "../../metrics/runtime-metrics.js";
import { WorkQueue } from "./work-queue.js";

const fast = { baseMs: 10, maxMs: 40, jitter: 0 };

describe("WorkQueue", () => {
  it("dedupes a key added many times while it waits", async () => {
    const queue = new WorkQueue(fast);
    for (let i = 0; i < 5; i++) queue.add("a");
    queue.add("b");
    expect(queue.length).toBe(2);
    expect(await queue.get()).toBe("a");
    expect(await queue.get()).toBe("b");
  });

  it("never hands out a key that is being processed; re-adds it once after done", async () => {
    const queue = new WorkQueue(fast);
    queue.add("a");
    const first = await queue.get();
    queue.add("a");
    queue.add("a");
    expect(queue.length).toBe(0);
    queue.done(first as string);
    expect(queue.length).toBe(1);
    expect(await queue.get()).toBe("a");
    queue.done("a");
    expect(queue.length).toBe(0);
  });

  it("wakes a waiting worker when a key arrives", async () => {
    const queue = new WorkQueue(fast);
    const waiting = queue.get();
    queue.add("late");
    expect(await waiting).toBe("late");
  });

  it("addAfter delivers later, and an earlier pending add wins over a later one", async () => {
    const queue = new WorkQueue(fast);
    const started = Date.now();
    queue.addAfter("a", 30);
    queue.addAfter("a", 5_000);
    expect(await queue.get()).toBe("a");
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("retries with growing backoff and forgets failures on success", () => {
    const queue = new WorkQueue(fast);
    expect(queue.addRateLimited("a")).toBe(10);
    expect(queue.addRateLimited("a")).toBe(20);
    expect(queue.addRateLimited("a")).toBe(40);
    expect(queue.addRateLimited("a")).toBe(40);
    expect(queue.failuresOf("a")).toBe(4);
    queue.forget("a");
    expect(queue.failuresOf("a")).toBe(0);
    queue.shutDown();
  });

  it("answers undefined to waiting and later workers after shutdown", async () => {
    const queue = new WorkQueue(fast);
    const waiting = queue.get();
    queue.shutDown();
    expect(await waiting).toBeUndefined();
    queue.add("a");
    expect(await queue.get()).toBeUndefined();
  });

  it("reports client-go's queue metrics: adds once per dedupe, depth, time waiting and working, retries", async () => {
    const seen = {
      added: 0,
      depths: [] as number[],
      waited: [] as number[],
      worked: [] as number[],
      retried: 0,
    };
    const metrics: QueueMetrics = {
      added: () => seen.added++,
      depth: (length) => seen.depths.push(length),
      waited: (seconds) => seen.waited.push(seconds),
      worked: (seconds) => seen.worked.push(seconds),
      retried: () => seen.retried++,
    };
    const queue = new WorkQueue(fast, metrics);
    queue.add("a");
    queue.add("a");
    queue.add("b");
    expect(seen.added).toBe(2);
    expect(seen.depths.at(-1)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const key = await queue.get();
    expect(seen.depths.at(-1)).toBe(1);
    expect(seen.waited[0]).toBeGreaterThanOrEqual(0.015);
    await new Promise((resolve) => setTimeout(resolve, 20));
    queue.done(key as string);
    expect(seen.worked[0]).toBeGreaterThanOrEqual(0.015);
    queue.addRateLimited("a");
    expect(seen.retried).toBe(1);
    queue.shutDown();
    expect(seen.depths.at(-1)).toBe(0);
  });
});
