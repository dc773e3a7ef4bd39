import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { InvalidConfigurationError } from "../../errors.js";
import { RuntimeMetrics } from "../../metrics/runtime-metrics.js";
import { parseScrape } from "../../metrics/scrape.test-helpers.js";
import { Controller } from "./controller.js";
import type { ObjectChange, SharedInformer } from "./informer.js";
import type { ObjectKey } from "./keys.js";
import { ignoreStatusOnlyUpdates } from "./predicates.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Controller", () => {
  it("never runs two reconciles of one key at once, and runs once more for a change that arrived meanwhile", async () => {
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    const controller = new Controller({
      name: "test",
      maxConcurrent: 4,
      reconcile: async () => {
        calls++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(40);
        running--;
      },
    });
    controller.start();
    controller.enqueue("ns/a");
    await sleep(10);
    for (let i = 0; i < 5; i++) controller.enqueue("ns/a");
    await sleep(150);
    await controller.stop();
    expect(maxRunning).toBe(1);
    expect(calls).toBe(2);
  });

  it("runs different keys in parallel up to maxConcurrent", async () => {
    let running = 0;
    let maxRunning = 0;
    const controller = new Controller({
      name: "test",
      maxConcurrent: 2,
      reconcile: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(30);
        running--;
      },
    });
    controller.start();
    for (const name of ["a", "b", "c", "d"]) controller.enqueue(`ns/${name}`);
    await sleep(120);
    await controller.stop();
    expect(maxRunning).toBe(2);
  });

  it("retries a thrown error but not a terminal ClusterformError", async () => {
    const seen: string[] = [];
    const controller = new Controller({
      name: "test",
      backoff: { baseMs: 5, maxMs: 5, jitter: 0 },
      reconcile: async (key: ObjectKey) => {
        seen.push(key.name);
        if (key.name === "flaky" && seen.filter((n) => n === "flaky").length < 3)
          throw new Error("transient");
        if (key.name === "broken") throw new InvalidConfigurationError("never converges");
      },
    });
    controller.start();
    controller.enqueue("ns/flaky");
    controller.enqueue("ns/broken");
    await sleep(150);
    await controller.stop();
    expect(seen.filter((n) => n === "flaky")).toHaveLength(3);
    expect(seen.filter((n) => n === "broken")).toHaveLength(1);
  });

  it("honours requeueAfterMs", async () => {
    const times: number[] = [];
    const controller = new Controller({
      name: "test",
      reconcile: async () => {
        times.push(Date.now());
        return times.length < 2 ? { requeueAfterMs: 50 } : undefined;
      },
    });
    controller.start();
    controller.enqueue("ns/a");
    await sleep(200);
    await controller.stop();
    expect(times).toHaveLength(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(45);
  });

  it("on shutdown waits for running reconciles, then aborts them after the grace period", async () => {
    let aborted = false;
    const controller = new Controller({
      name: "test",
      reconcile: (_key, { signal }) =>
        new Promise<void>((resolve) => {
          signal.addEventListener("abort", () => {
            aborted = true;
            resolve();
          });
        }),
    });
    controller.start();
    controller.enqueue("ns/slow");
    await sleep(10);
    const started = Date.now();
    await controller.stop({ gracePeriodMs: 50, abortWaitMs: 1_000 });
    expect(aborted).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("drops the changes a watch predicate rejects before they reach the queue", async () => {
    type Obj = { metadata: { name: string; namespace: string; generation: number }; status?: object };
    let handler: ((object: Obj, change: ObjectChange<Obj>) => void) | undefined;
    const informer = {
      onChange: (h: typeof handler) => {
        handler = h;
      },
      resync: () => {},
    } as unknown as SharedInformer<Obj & { kind?: string }>;
    const seen: string[] = [];
    const controller = new Controller({
      name: "test",
      reconcile: async (key: ObjectKey) => {
        seen.push(key.name);
      },
    });
    controller.watch(informer, undefined, ignoreStatusOnlyUpdates);
    controller.start();
    const before: Obj = { metadata: { name: "a", namespace: "ns", generation: 1 } };
    handler?.({ ...before, status: { phase: "Running" } }, { type: "update", previous: before });
    await sleep(30);
    expect(seen).toEqual([]);
    handler?.({ metadata: { ...before.metadata, generation: 2 } }, { type: "update", previous: before });
    await sleep(30);
    await controller.stop();
    expect(seen).toEqual(["a"]);
  });

  it("counts each reconcile by result and its queue's adds and retries in the manager's registry", async () => {
    const registry = new Registry();
    let calls = 0;
    const controller = new Controller({
      name: "probe",
      backoff: { baseMs: 5, maxMs: 5, jitter: 0 },
      reconcile: async (key) => {
        calls++;
        if (key.name === "flaky" && calls < 3) throw new Error("transient");
        return key.name === "later" ? { requeueAfterMs: 60_000 } : undefined;
      },
    });
    controller.instrument(new RuntimeMetrics(registry));
    controller.start();
    controller.enqueue("ns/flaky");
    await sleep(80);
    controller.enqueue("ns/later");
    await sleep(40);
    await controller.stop();
    const { value } = parseScrape(await registry.metrics());
    const probe = { controller: "probe" };
    expect(value("controller_runtime_reconcile_total", { ...probe, result: "error" })).toBe(2);
    expect(value("controller_runtime_reconcile_total", { ...probe, result: "success" })).toBe(1);
    expect(value("controller_runtime_reconcile_total", { ...probe, result: "requeue_after" })).toBe(1);
    expect(value("controller_runtime_reconcile_errors_total", probe)).toBe(2);
    expect(value("controller_runtime_reconcile_time_seconds_count", probe)).toBe(4);
    expect(value("workqueue_retries_total", { name: "probe" })).toBe(2);
    expect(value("workqueue_adds_total", { name: "probe" })).toBe(4);
  });

  it("gives each reconcile a logger naming the controller, the object and a fresh reconcileID", async () => {
    const lines: Record<string, unknown>[] = [];
    const record = (_message: string, fields?: Record<string, unknown>) => lines.push(fields ?? {});
    const controller = new Controller({
      name: "cluster",
      keyField: "cluster",
      logger: { debug: record, info: record, warn: record, error: record },
      reconcile: async (_key, { logger }) => logger.info("planning"),
    });
    controller.start();
    controller.enqueue("team-a/alpha");
    await sleep(20);
    controller.enqueue("team-a/alpha");
    await sleep(20);
    await controller.stop();
    const planning = lines.filter((line) => !("ms" in line));
    expect(planning).toHaveLength(2);
    for (const line of planning)
      expect(line).toMatchObject({ controller: "cluster", namespace: "team-a", cluster: "alpha" });
    expect(planning[0]?.reconcileID).toMatch(/^[0-9a-f-]{36}$/);
    expect(planning[0]?.reconcileID).not.toBe(planning[1]?.reconcileID);
  });
});
