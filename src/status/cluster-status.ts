import type { Cluster, ClusterStatus, PlanSummaryStatus } from "../api/cluster.js";
import { type ConditionInput, ConditionType, findCondition, setConditions } from "../api/conditions.js";
import type { MachineStatus } from "../api/machine.js";
import { Reason } from "../api/reasons.js";
import type {
  DriftObservation,
  HeldPlanObservation,
  ObservedError,
  StateLockObservation,
} from "./observations.js";
import type { ClusterObservation } from "./outputs.js";
import { deriveClusterPhase } from "./phase.js";

export interface ClusterStatusInputs {
  cluster: Cluster;
  observation?: ClusterObservation | undefined;
  /** Non-sensitive outputs (status.outputs). */
  outputs?: Record<string, string> | undefined;
  /** The stack's Machines with their new statuses (Ready summarises them). */
  machineStatuses: readonly { name: string; status: MachineStatus }[];
  provisioning: boolean;
  error?: ObservedError | undefined;
  plan?: PlanSummaryStatus | undefined;
  held?: HeldPlanObservation | undefined;
  drift?: DriftObservation | undefined;
  stateLock?: StateLockObservation | undefined;
  now: Date;
}

/**
 * The whole status of the Cluster, each owned condition set once:
 * InfrastructureReady, Ready (a summary: the pass's error, then the
 * infrastructure, then the Machines), PlanPending, Drifted, StateLocked.
 * A condition the pass learned nothing about keeps its value.
 */
export function computeClusterStatus(inputs: ClusterStatusInputs): ClusterStatus {
  const { cluster, observation, machineStatuses, error, now } = inputs;
  const previous = cluster.status ?? {};
  const terminal = error?.terminal ? error : undefined;
  const infrastructureReady = Boolean(observation?.infrastructureReady);
  const notReady = machineStatuses.filter(
    (m) => findCondition(m.status.conditions, ConditionType.Ready)?.status !== "True",
  );
  const generation = cluster.metadata.generation;
  const withGeneration = generation !== undefined ? { observedGeneration: generation } : {};
  const conditions = setConditions(
    previous.conditions,
    [
      {
        type: ConditionType.InfrastructureReady,
        ...(error
          ? { status: "False" as const, reason: error.reason, message: error.message }
          : infrastructureReady
            ? { status: "True" as const, reason: Reason.InfrastructureProvisioned }
            : { status: "False" as const, reason: Reason.WaitingForInfrastructure }),
        ...withGeneration,
      },
      {
        type: ConditionType.Ready,
        ...readyCondition(infrastructureReady, notReady, error),
        ...withGeneration,
      },
      ...planPendingCondition(previous, inputs, withGeneration),
      ...driftedCondition(previous, inputs.drift, withGeneration),
      ...stateLockedCondition(previous, inputs.stateLock),
    ],
    now,
  );
  const plan = inputs.plan ?? previous.plan;
  const lastAppliedPlan = inputs.plan?.state === "Applied" ? inputs.plan.id : previous.lastAppliedPlan;
  const lastDriftCheck = inputs.drift?.checkedAt ?? previous.lastDriftCheck;
  return {
    ...(observation?.apiEndpoint ? { apiEndpoints: [observation.apiEndpoint] } : {}),
    ...(observation && Object.keys(observation.providerStatus).length > 0
      ? { providerStatus: observation.providerStatus }
      : {}),
    phase: deriveClusterPhase({
      deleting: Boolean(cluster.metadata.deletionTimestamp),
      ...(terminal ? { errorReason: terminal.reason } : {}),
      infrastructureReady,
      provisioning: inputs.provisioning,
    }),
    ...(terminal ? { errorReason: terminal.reason, errorMessage: terminal.message } : {}),
    conditions,
    ...(inputs.outputs && Object.keys(inputs.outputs).length > 0 ? { outputs: inputs.outputs } : {}),
    ...(plan ? { plan } : {}),
    ...(lastAppliedPlan ? { lastAppliedPlan } : {}),
    ...(lastDriftCheck ? { lastDriftCheck } : {}),
    ...(error
      ? previous.observedGeneration !== undefined
        ? { observedGeneration: previous.observedGeneration }
        : {}
      : withGeneration),
  };
}

function readyCondition(
  infrastructureReady: boolean,
  notReady: readonly { name: string }[],
  error: ObservedError | undefined,
): { status: "True" | "False"; reason: string; message?: string } {
  if (error) return { status: "False", reason: error.reason, message: error.message };
  if (!infrastructureReady) return { status: "False", reason: Reason.WaitingForInfrastructure };
  if (notReady.length > 0) {
    const names = notReady.map((m) => m.name);
    const shown = names.slice(0, 5).join(", ") + (names.length > 5 ? `, and ${names.length - 5} more` : "");
    return { status: "False", reason: Reason.MachinesNotReady, message: `machines not ready: ${shown}` };
  }
  return { status: "True", reason: Reason.AllMachinesReady };
}

/** Held: True with the approve command; applied this pass: False saying how; never set: False. */
function planPendingCondition(
  previous: ClusterStatus,
  { held, plan }: Pick<ClusterStatusInputs, "held" | "plan">,
  withGeneration: { observedGeneration?: number },
): ConditionInput[] {
  const base = { type: ConditionType.PlanPending };
  if (held) {
    const reason = held.policy === "plan-only" ? Reason.PlanOnly : Reason.AwaitingApproval;
    return [{ ...base, status: "True", reason, message: held.message }];
  }
  if (plan?.state === "Applied") {
    if (plan.appliedBy === "external")
      return [
        {
          ...base,
          status: "False",
          reason: Reason.AppliedOutside,
          message: `plan ${plan.id} was applied outside clusterform (the shared state shows it)`,
        },
      ];
    if (plan.add + plan.change + plan.destroy > 0)
      return [{ ...base, status: "False", reason: Reason.PlanApplied, message: `plan ${plan.id} applied` }];
    return [
      {
        ...base,
        status: "False",
        reason: Reason.NoChanges,
        message: "the infrastructure matches the configuration",
      },
    ];
  }
  if (findCondition(previous.conditions, ConditionType.PlanPending)) return [];
  return [{ ...base, status: "False", reason: Reason.NoPlanPending, ...withGeneration }];
}

/** What this pass's drift check found; Unknown until a first check runs. */
function driftedCondition(
  previous: ClusterStatus,
  drift: DriftObservation | undefined,
  withGeneration: { observedGeneration?: number },
): ConditionInput[] {
  const type = ConditionType.Drifted;
  if (drift)
    return [{ type, status: drift.drifted ? "True" : "False", reason: drift.reason, message: drift.message }];
  if (findCondition(previous.conditions, type)) return [];
  return [{ type, status: "Unknown", reason: Reason.DriftNotChecked, ...withGeneration }];
}

/**
 * True while another holder keeps Terraform out, False once a run got the
 * lock (only when the condition was there: clusters never locked out do not
 * carry it).
 */
function stateLockedCondition(
  previous: ClusterStatus,
  observed: StateLockObservation | undefined,
): ConditionInput[] {
  const type = ConditionType.StateLocked;
  if (!observed) return [];
  if (observed.locked)
    return [{ type, status: "True", reason: Reason.StateLocked, message: observed.message }];
  if (!findCondition(previous.conditions, type)) return [];
  return [
    {
      type,
      status: "False",
      reason: Reason.StateLockAcquired,
      message: "a Terraform run acquired the state lock",
    },
  ];
}
