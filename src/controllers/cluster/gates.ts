import { MACHINES_OUTPUT } from "../../../stacks/index.js";
import type { SynthResult } from "../../converge/stack-cache.js";
import type { ClusterScope } from "./scope.js";

/** A gate's verdict and why, for logs, Events and tests. */
export interface Verdict {
  ok: boolean;
  reason: string;
}

/**
 * Plan only when Terraform could have something to do: every Terraform
 * command costs seconds of CPU, so an unchanged configuration whose last
 * apply succeeded from this state directory runs no Terraform at all.
 */
export function shouldPlan(
  scope: ClusterScope,
  stack: SynthResult,
  options: { driftCheckDue?: boolean; driftReason?: string } = {},
): Verdict {
  if (!scope.applied) return { ok: true, reason: "never applied from this state directory" };
  if (scope.applied.applyStartedFor !== undefined)
    return { ok: true, reason: "an apply started after the last successful one and did not finish" };
  if (scope.applied.configHash !== stack.configHash)
    return { ok: true, reason: "configuration changed since the last apply" };
  if (options.driftCheckDue) return { ok: true, reason: options.driftReason ?? "a drift check is due" };
  return { ok: false, reason: `configuration unchanged since the apply at ${scope.applied.appliedAt}` };
}

/** Machines the plan will create: shown as Provisioning until their instance is in the outputs. */
export function machinesToProvision(scope: ClusterScope): Set<string> {
  const names = scope.model?.machines.map((m) => m.name) ?? [];
  const known = machineOutputNames(scope);
  // A Machine whose status already names its instance has one, even when the
  // recorded outputs are gone (a rescheduled pod starts with an empty working directory).
  for (const machine of scope.machines)
    if (machine.status?.providerID) known.add(machine.metadata.name ?? "");
  return new Set(names.filter((name) => !known.has(name)));
}

/** Machines the recorded outputs have an instance for. */
export function machineOutputNames(scope: ClusterScope): Set<string> {
  const value = scope.outputs?.[MACHINES_OUTPUT]?.value;
  return new Set(value && typeof value === "object" ? Object.keys(value) : []);
}
