import { type ConditionInput, ConditionType, setConditions } from "../api/conditions.js";
import type { Machine, MachineStatus } from "../api/machine.js";
import type { Condition } from "../api/meta.js";
import { Reason } from "../api/reasons.js";
import { machineReady } from "./machine-ready.js";
import type { LostInstance, MachinePlanObservation, ObservedError } from "./observations.js";
import type { MachineObservation } from "./observe.js";
import { deriveMachinePhase } from "./phase.js";

export interface MachineStatusInputs {
  machine: Machine;
  observation?: MachineObservation | undefined;
  provisioning: boolean;
  error?: ObservedError | undefined;
  /** Its recorded instance, found gone. */
  lost?: LostInstance | undefined;
  /**
   * Plans concern this Machine (it is in the stack): `note` is what the held
   * plan does to it, absent when no held plan touches it. Undefined: plans
   * do not concern it (a Machine leaving the stack), PlanPending untouched.
   */
  plan?: { note?: MachinePlanObservation | undefined } | undefined;
  now: Date;
}

/**
 * The whole status of one Machine from what was observed, each owned
 * condition set once (Ready: machine-ready.ts; PlanPending); patched once by
 * the caller.
 */
export function computeMachineStatus(inputs: MachineStatusInputs): MachineStatus {
  const { machine, observation, provisioning, error, now } = inputs;
  const previous = machine.status ?? {};
  const terminal = error?.terminal ? error : undefined;
  const phase = deriveMachinePhase({
    deleting: Boolean(machine.metadata.deletionTimestamp),
    ...(terminal ? { errorReason: terminal.reason } : {}),
    ...(observation ? { providerID: observation.providerID, instanceState: observation.instanceState } : {}),
    provisioning,
  });
  const generation = machine.metadata.generation;
  const withGeneration = generation !== undefined ? { observedGeneration: generation } : {};
  const ready = machineReady({ phase, observation, error, lost: inputs.lost, planNote: inputs.plan?.note });
  const conditions: ConditionInput[] = [
    { type: ConditionType.Ready, ...ready, ...withGeneration },
    ...planPendingCondition(previous.conditions, inputs.plan),
  ];
  return {
    ...(observation
      ? {
          providerID: observation.providerID,
          addresses: observation.addresses,
          providerStatus: observation.providerStatus,
        }
      : {}),
    ...(machine.spec.versions ? { versions: machine.spec.versions } : {}),
    ...(terminal ? { errorReason: terminal.reason, errorMessage: terminal.message } : {}),
    phase,
    lastUpdated: now.toISOString(),
    conditions: setConditions(previous.conditions, conditions, now),
    ...(generation !== undefined && !error ? { observedGeneration: generation } : {}),
    ...(generation !== undefined && error && previous.observedGeneration !== undefined
      ? { observedGeneration: previous.observedGeneration }
      : {}),
  };
}

/**
 * PlanPending on a Machine the held plan touches: True with what will happen
 * (replacements flagged with their cause); back to False once no held plan
 * touches it; untouched otherwise.
 */
function planPendingCondition(
  previous: readonly Condition[] | undefined,
  plan: MachineStatusInputs["plan"],
): ConditionInput[] {
  if (!plan) return [];
  const note = plan.note;
  if (note) {
    const reason = note.action === "replace" ? Reason.InstanceReplacement : Reason.AwaitingApproval;
    return [{ type: ConditionType.PlanPending, status: "True", reason, message: note.message }];
  }
  const pending = previous?.some((c) => c.type === ConditionType.PlanPending && c.status === "True");
  return pending ? [{ type: ConditionType.PlanPending, status: "False", reason: Reason.PlanApplied }] : [];
}
