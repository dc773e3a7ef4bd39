import type { ConditionStatus } from "../api/conditions.js";
import type { MachinePhase } from "../api/machine.js";
import { Reason } from "../api/reasons.js";
import type { LostInstance, MachinePlanObservation, ObservedError } from "./observations.js";
import type { MachineObservation } from "./observe.js";

export interface MachineReadyFacts {
  phase: MachinePhase;
  observation?: MachineObservation | undefined;
  error?: ObservedError | undefined;
  lost?: LostInstance | undefined;
  planNote?: MachinePlanObservation | undefined;
}

export interface ReadySummary {
  status: ConditionStatus;
  reason: string;
  message?: string;
}

/**
 * A Machine's Ready condition: a summary of this pass's facts, decided here
 * only. Priority, first that applies (the most specific to this Machine wins):
 *   1. its recorded instance was found gone (InstanceTerminated, what happens next);
 *   2. a held plan creates its instance (PlanPending, the approve command);
 *   3. a failure concerns it (the error's reason and message);
 *   4. its phase: Running -> True, otherwise False saying why.
 */
export function machineReady(facts: MachineReadyFacts): ReadySummary {
  if (facts.lost) return { status: "False", reason: Reason.InstanceTerminated, message: facts.lost.message };
  if (facts.planNote?.action === "create")
    return { status: "False", reason: Reason.PlanPending, message: facts.planNote.message };
  if (facts.error) return { status: "False", reason: facts.error.reason, message: facts.error.message };
  return fromPhase(facts.phase, facts.observation);
}

function fromPhase(phase: MachinePhase, observation: MachineObservation | undefined): ReadySummary {
  switch (phase) {
    case "Running":
      return { status: "True", reason: Reason.InstanceRunning };
    case "Provisioned":
      return {
        status: "False",
        reason: Reason.InstanceNotRunning,
        message: `instance ${observation?.providerStatus.instanceID ?? ""} is ${observation?.instanceState ?? "unknown"}`,
      };
    case "Provisioning":
      return { status: "False", reason: Reason.Provisioning, message: "terraform is creating the instance" };
    case "Deleting":
      return { status: "False", reason: Reason.Deleting };
    default:
      return {
        status: "False",
        reason: Reason.WaitingForInfrastructure,
        message: "no instance in the stack's state yet",
      };
  }
}
