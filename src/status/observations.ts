import type { Cluster, PlanSummaryStatus } from "../api/cluster.js";
import type { Machine } from "../api/machine.js";
import type { RawOutput } from "./outputs.js";
import type { WorkloadObservation } from "./workload.js";

/**
 * What one reconcile pass observed, the only input of composeStatuses. Every
 * field is a fact learned this pass (or read back from the last apply); none
 * is a status. To add an observation: add an optional field here (say who
 * sets it and what absent means), read it in the condition or field it
 * decides (cluster-status.ts or machine-status.ts, one place each), and set it
 * in controllers/cluster/status.ts (observationsOf). docs/controllers.md
 * "Status" walks through an example.
 */
export interface PassObservations {
  now: Date;
  cluster: Cluster;
  /** Every Machine of the cluster, those being deleted included. */
  machines: readonly Machine[];
  /**
   * Names of the Machines the stack provisions, in the stack's order
   * (undefined: no valid stack this pass, e.g. invalid or being deleted).
   * Only these count towards the Cluster's Ready and carry plan conditions.
   */
  stackMachines?: readonly string[];
  /** The provider the outputs come from (undefined: nothing to read outputs with). */
  provider?: "aws" | "vsphere";
  /** Terraform outputs: the last apply's, or this pass's run. */
  outputs?: Record<string, RawOutput>;
  /** Machines a plan or apply in flight creates (Provisioning). */
  provisioning?: ReadonlySet<string>;
  /** The pass's failure: on the Cluster and on every Machine not being deleted. */
  error?: ObservedError;
  /** A Machine's own failure (wins over `error`, also on a Machine being deleted). */
  machineErrors?: ReadonlyMap<string, ObservedError>;
  /** The plan this pass made (status.plan). */
  plan?: PlanSummaryStatus;
  /** A plan held for approval or kept under plan-only. */
  held?: HeldPlanObservation;
  /** What this pass's drift check found (undefined: no check ran). */
  drift?: DriftObservation;
  /** Machine name -> its recorded instance, found gone. */
  lost?: ReadonlyMap<string, LostInstance>;
  /** Whether Terraform got the state lock (undefined: Terraform did not try). */
  stateLock?: StateLockObservation;
  /** What the bootstrap step decided (undefined: it did not run, e.g. invalid or being deleted). */
  bootstrap?: BootstrapObservationForStatus;
  /**
   * The Cluster's workload API as last seen (controllers/workload, read
   * without waiting). Undefined: no workload kubeconfig, the Machines' phases
   * follow their instances alone. Decides nodeRef, NodeHealthy and Running
   * (machine-status.ts), WorkloadAPIReachable and ControlPlane* (cluster-status.ts).
   */
  workload?: WorkloadObservation;
  /** --node-startup-timeout in ms (undefined: 15m). */
  nodeStartupTimeoutMs?: number;
}

/** The bootstrap step's outcome as the Bootstrap condition shows it (never any secret material). */
export interface BootstrapObservationForStatus {
  state: "disabled" | "none" | "no-control-plane" | "ready";
  /** Why nothing is planned (no-control-plane). */
  message?: string;
  /** Things a person should know (an endpoint fallback, an expired token). */
  warnings: readonly string[];
}

/** A failure that concerns an object: terminal ones set errorReason, others only conditions. */
export interface ObservedError {
  reason: string;
  message: string;
  terminal: boolean;
}

export interface HeldPlanObservation {
  id: string;
  /** The apply policy the plan is held under ("plan-only" never applies). */
  policy: string;
  /** The PlanPending message: counts and the exact approve command. */
  message: string;
  /** What the plan does to each Machine it touches. */
  notes: ReadonlyMap<string, MachinePlanObservation>;
}

export interface MachinePlanObservation {
  action: "create" | "replace" | "delete" | "update";
  message: string;
}

export interface DriftObservation {
  drifted: boolean;
  checkedAt: string;
  reason: string;
  message: string;
}

/** A Machine's instance the drift check found gone, and what its Ready condition says about it. */
export interface LostInstance {
  instanceId: string;
  message: string;
}

/** locked: another holder kept Terraform out (the StateLocked message says who and what to do). */
export type StateLockObservation = { locked: true; message: string } | { locked: false };
