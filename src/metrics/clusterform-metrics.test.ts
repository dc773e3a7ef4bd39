import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { ClusterformMetrics, type FleetSnapshot } from "./clusterform-metrics.js";
import { parseScrape } from "./scrape.test-helpers.js";

describe("ClusterformMetrics", () => {
  it("records Terraform runs by operation and result with their durations, and drift", async () => {
    const registry = new Registry();
    const metrics = new ClusterformMetrics(registry, () => undefined);
    metrics.terraformRun("plan", "success", 12);
    metrics.terraformRun("plan", "success", 8);
    metrics.terraformRun("apply", "error", 40);
    metrics.driftDetected("team-a");
    const { value } = parseScrape(await registry.metrics());
    const plans = { operation: "plan", result: "success" };
    expect(value("clusterform_terraform_run_duration_seconds_count", plans)).toBe(2);
    expect(value("clusterform_terraform_run_duration_seconds_sum", plans)).toBe(20);
    expect(value("clusterform_terraform_run_duration_seconds_bucket", { ...plans, le: "10" })).toBe(1);
    expect(
      value("clusterform_terraform_run_duration_seconds_count", { operation: "apply", result: "error" }),
    ).toBe(1);
    expect(value("clusterform_drift_detected_total", { namespace: "team-a" })).toBe(1);
  });

  it("computes the fleet gauges at scrape time, dropping phases nobody is in any more", async () => {
    const registry = new Registry();
    let fleet: FleetSnapshot = {
      clustersByPhase: new Map([["Provisioning", 2]]),
      machinesByPhase: new Map([
        ["Provisioning", 3],
        ["Running", 1],
      ]),
      plansPendingApproval: 1,
    };
    new ClusterformMetrics(registry, () => fleet);
    const first = parseScrape(await registry.metrics());
    expect(first.value("clusterform_clusters", { phase: "Provisioning" })).toBe(2);
    expect(first.value("clusterform_machines", { phase: "Running" })).toBe(1);
    expect(first.value("clusterform_plans_pending_approval")).toBe(1);
    fleet = {
      clustersByPhase: new Map([["Provisioned", 2]]),
      machinesByPhase: new Map(),
      plansPendingApproval: 0,
    };
    const second = parseScrape(await registry.metrics());
    expect(second.value("clusterform_clusters", { phase: "Provisioning" })).toBeUndefined();
    expect(second.value("clusterform_clusters", { phase: "Provisioned" })).toBe(2);
    expect(second.value("clusterform_machines", { phase: "Running" })).toBeUndefined();
    expect(second.value("clusterform_plans_pending_approval")).toBe(0);
  });
});
