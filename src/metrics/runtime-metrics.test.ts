import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { RuntimeMetrics } from "./runtime-metrics.js";
import { parseScrape } from "./scrape.test-helpers.js";

const scrape = async (registry: Registry) => parseScrape(await registry.metrics());

describe("RuntimeMetrics", () => {
  it("exports controller-runtime's names, types and labels, at zero before anything happens", async () => {
    const registry = new Registry();
    const metrics = new RuntimeMetrics(registry);
    metrics.controller("cluster");
    metrics.queue("cluster");
    metrics.leading("clusterform-controller", false);
    const { families, value } = await scrape(registry);
    expect([...families.values()].map((f) => `${f.name} ${f.type}`).sort()).toEqual([
      "controller_runtime_reconcile_errors_total COUNTER",
      "controller_runtime_reconcile_time_seconds HISTOGRAM",
      "controller_runtime_reconcile_total COUNTER",
      "leader_election_master_status GAUGE",
      "workqueue_adds_total COUNTER",
      "workqueue_depth GAUGE",
      "workqueue_queue_duration_seconds HISTOGRAM",
      "workqueue_retries_total COUNTER",
      "workqueue_work_duration_seconds HISTOGRAM",
    ]);
    for (const result of ["success", "error", "requeue_after"])
      expect(value("controller_runtime_reconcile_total", { controller: "cluster", result })).toBe(0);
    expect(value("workqueue_depth", { name: "cluster" })).toBe(0);
    expect(value("leader_election_master_status", { name: "clusterform-controller" })).toBe(0);
  });

  it("counts reconciles by result, errors apart, and times them", async () => {
    const registry = new Registry();
    const reconciles = new RuntimeMetrics(registry).controller("machineset");
    reconciles.reconciled("success", 0.2);
    reconciles.reconciled("error", 1.5);
    reconciles.reconciled("requeue_after", 0.01);
    const { value } = await scrape(registry);
    const of = { controller: "machineset" };
    expect(value("controller_runtime_reconcile_total", { ...of, result: "success" })).toBe(1);
    expect(value("controller_runtime_reconcile_total", { ...of, result: "error" })).toBe(1);
    expect(value("controller_runtime_reconcile_errors_total", of)).toBe(1);
    expect(value("controller_runtime_reconcile_time_seconds_count", of)).toBe(3);
    expect(value("controller_runtime_reconcile_time_seconds_bucket", { ...of, le: "0.25" })).toBe(2);
  });

  it("keeps two managers' registries apart", async () => {
    const first = new Registry();
    const second = new Registry();
    new RuntimeMetrics(first).controller("a").reconciled("success", 1);
    new RuntimeMetrics(second).controller("a");
    const success = { controller: "a", result: "success" };
    expect((await scrape(first)).value("controller_runtime_reconcile_total", success)).toBe(1);
    expect((await scrape(second)).value("controller_runtime_reconcile_total", success)).toBe(0);
  });
});
