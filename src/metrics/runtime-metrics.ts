import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/**
 * The metrics controller-runtime (and client-go's work queue) export, under
 * the same names and labels, so dashboards and alerts written for Go
 * controllers work unchanged. One instance per registry (per Manager).
 */

/** controller-runtime's reconcile_time_seconds buckets. */
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5,
  1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
/** controller-runtime's work queue buckets: 10ns to 1000s, ten per decade step. */
const QUEUE_BUCKETS = Array.from({ length: 12 }, (_, index) => 1e-8 * 10 ** index);

/** What a reconcile ended with (controller-runtime's `result` label values). */
export type ReconcileOutcome = "success" | "error" | "requeue_after";

/** The hooks a WorkQueue calls; seconds are measured by the queue. */
export interface QueueMetrics {
  added(): void;
  depth(length: number): void;
  waited(seconds: number): void;
  worked(seconds: number): void;
  retried(): void;
}

export interface ReconcileMetrics {
  reconciled(outcome: ReconcileOutcome, seconds: number): void;
}

export class RuntimeMetrics {
  private readonly reconcileTotal: Counter<"controller" | "result">;
  private readonly reconcileErrors: Counter<"controller">;
  private readonly reconcileTime: Histogram<"controller">;
  private readonly queueDepth: Gauge<"name">;
  private readonly queueAdds: Counter<"name">;
  private readonly queueDuration: Histogram<"name">;
  private readonly workDuration: Histogram<"name">;
  private readonly queueRetries: Counter<"name">;
  private readonly leaderStatus: Gauge<"name">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.reconcileTotal = new Counter({
      name: "controller_runtime_reconcile_total",
      help: "Total number of reconciliations per controller",
      labelNames: ["controller", "result"],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: "controller_runtime_reconcile_errors_total",
      help: "Total number of reconciliation errors per controller",
      labelNames: ["controller"],
      registers,
    });
    this.reconcileTime = new Histogram({
      name: "controller_runtime_reconcile_time_seconds",
      help: "Length of time per reconciliation per controller",
      labelNames: ["controller"],
      buckets: RECONCILE_BUCKETS,
      registers,
    });
    this.queueDepth = new Gauge({
      name: "workqueue_depth",
      help: "Current depth of workqueue",
      labelNames: ["name"],
      registers,
    });
    this.queueAdds = new Counter({
      name: "workqueue_adds_total",
      help: "Total number of adds handled by workqueue",
      labelNames: ["name"],
      registers,
    });
    this.queueDuration = new Histogram({
      name: "workqueue_queue_duration_seconds",
      help: "How long in seconds an item stays in workqueue before being requested",
      labelNames: ["name"],
      buckets: QUEUE_BUCKETS,
      registers,
    });
    this.workDuration = new Histogram({
      name: "workqueue_work_duration_seconds",
      help: "How long in seconds processing an item from workqueue takes",
      labelNames: ["name"],
      buckets: QUEUE_BUCKETS,
      registers,
    });
    this.queueRetries = new Counter({
      name: "workqueue_retries_total",
      help: "Total number of retries handled by workqueue",
      labelNames: ["name"],
      registers,
    });
    this.leaderStatus = new Gauge({
      name: "leader_election_master_status",
      help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease.",
      labelNames: ["name"],
      registers,
    });
  }

  /** A controller's reconcile counters, present at zero from the start (rate() needs a first sample). */
  controller(name: string): ReconcileMetrics {
    for (const result of ["success", "error", "requeue_after"] as const)
      this.reconcileTotal.inc({ controller: name, result }, 0);
    this.reconcileErrors.inc({ controller: name }, 0);
    return {
      reconciled: (outcome, seconds) => {
        this.reconcileTotal.inc({ controller: name, result: outcome });
        if (outcome === "error") this.reconcileErrors.inc({ controller: name });
        this.reconcileTime.observe({ controller: name }, seconds);
      },
    };
  }

  /** A work queue's metrics, labelled with its name (the controller's, as controller-runtime does). */
  queue(name: string): QueueMetrics {
    const labels = { name };
    this.queueDepth.set(labels, 0);
    this.queueAdds.inc(labels, 0);
    this.queueRetries.inc(labels, 0);
    return {
      added: () => this.queueAdds.inc(labels),
      depth: (length) => this.queueDepth.set(labels, length),
      waited: (seconds) => this.queueDuration.observe(labels, seconds),
      worked: (seconds) => this.workDuration.observe(labels, seconds),
      retried: () => this.queueRetries.inc(labels),
    };
  }

  /** 1 while this process holds the Lease `name`, 0 while it stands by. */
  leading(name: string, leading: boolean): void {
    this.leaderStatus.set({ name }, leading ? 1 : 0);
  }
}
