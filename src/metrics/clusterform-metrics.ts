import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Terraform runs take seconds to tens of minutes. */
const TERRAFORM_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600];

/** What the fleet looks like now, read from the controller's caches when Prometheus scrapes. */
export interface FleetSnapshot {
  /** Cluster count by status.phase. */
  clustersByPhase: ReadonlyMap<string, number>;
  /** Machine count by status.phase. */
  machinesByPhase: ReadonlyMap<string, number>;
  /** Clusters whose status.plan waits for an approval. */
  plansPendingApproval: number;
}

/**
 * clusterform's own metrics (prefix `clusterform_`): Terraform runs, drift,
 * held plans and the fleet by phase. Gauges about the fleet are computed at
 * scrape time from a snapshot function, so they are never stale and cost
 * nothing between scrapes.
 */
export class ClusterformMetrics {
  private readonly terraformRuns: Histogram<"operation" | "result">;
  private readonly drift: Counter<"namespace">;

  constructor(registry: Registry, snapshot: () => FleetSnapshot | undefined) {
    const registers = [registry];
    this.terraformRuns = new Histogram({
      name: "clusterform_terraform_run_duration_seconds",
      help: "Terraform processes run, by operation (init, plan, apply, show, output, ...) and result (success, error, cancelled, timeout); _count is the number of runs",
      labelNames: ["operation", "result"],
      buckets: TERRAFORM_BUCKETS,
      registers,
    });
    this.drift = new Counter({
      name: "clusterform_drift_detected_total",
      help: "Plans that found infrastructure changed outside Terraform, by the Cluster's namespace",
      labelNames: ["namespace"],
      registers,
    });
    new Gauge({
      name: "clusterform_plans_pending_approval",
      help: "Clusters whose plan is held for an approval (condition PlanPending=True)",
      registers,
      collect() {
        this.set(snapshot()?.plansPendingApproval ?? 0);
      },
    });
    phaseGauge(
      registry,
      "clusterform_clusters",
      "Clusters by status.phase",
      () => snapshot()?.clustersByPhase,
    );
    phaseGauge(
      registry,
      "clusterform_machines",
      "Machines by status.phase",
      () => snapshot()?.machinesByPhase,
    );
  }

  terraformRun(operation: string, result: string, seconds: number): void {
    this.terraformRuns.observe({ operation, result }, seconds);
  }

  driftDetected(namespace: string): void {
    this.drift.inc({ namespace });
  }
}

function phaseGauge(
  registry: Registry,
  name: string,
  help: string,
  counts: () => ReadonlyMap<string, number> | undefined,
): void {
  new Gauge({
    name,
    help,
    labelNames: ["phase"],
    registers: [registry],
    collect() {
      // A phase nobody is in any more disappears instead of reporting its last count.
      this.reset();
      for (const [phase, count] of counts() ?? []) this.set({ phase }, count);
    },
  });
}
