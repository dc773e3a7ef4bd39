import type { MachinePhase } from "../api/machine.js";

/** What the phase is derived from: status fields and what the run is doing now. */
export interface PhaseInputs {
  deleting: boolean;
  errorReason?: string;
  providerID?: string;
  instanceState?: string;
  /** A plan or apply that creates this machine is under way. */
  provisioning: boolean;
  /** The Cluster's workload API is read and the Machine's Node has not registered (docs/workload.md). */
  awaitingNode?: boolean;
}

/**
 * Phase is derived, last, from the fields (as Cluster API does); nothing
 * decides anything from it.
 */
export function deriveMachinePhase(inputs: PhaseInputs): MachinePhase {
  if (inputs.deleting) return "Deleting";
  if (inputs.errorReason) return "Failed";
  if (inputs.providerID && inputs.instanceState === "running" && !inputs.awaitingNode) return "Running";
  if (inputs.providerID) return "Provisioned";
  if (inputs.provisioning) return "Provisioning";
  return "Pending";
}

export type ClusterPhase = "Pending" | "Provisioning" | "Provisioned" | "Deleting" | "Failed";

export function deriveClusterPhase(inputs: {
  deleting: boolean;
  errorReason?: string;
  infrastructureReady: boolean;
  provisioning: boolean;
}): ClusterPhase {
  if (inputs.deleting) return "Deleting";
  if (inputs.errorReason) return "Failed";
  if (inputs.infrastructureReady) return "Provisioned";
  if (inputs.provisioning) return "Provisioning";
  return "Pending";
}
