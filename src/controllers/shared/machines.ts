import { findCondition } from "../../api/conditions.js";
import type { Machine } from "../../api/machine.js";

/** Annotation that marks a Machine to be removed first when its set scales down. */
export const DELETE_MACHINE_ANNOTATION = "cluster.k8s.io/delete-machine";

/** True when the Machine's Ready condition is True (set by the cluster reconciler). */
export function isMachineReady(machine: Machine): boolean {
  return findCondition(machine.status?.conditions, "Ready")?.status === "True";
}

/**
 * Milliseconds until a Ready Machine counts as available (Ready for
 * minReadySeconds), 0 when it already is, undefined when it is not Ready.
 */
export function msUntilAvailable(machine: Machine, minReadySeconds: number, now: Date): number | undefined {
  const ready = findCondition(machine.status?.conditions, "Ready");
  if (ready?.status !== "True") return undefined;
  if (minReadySeconds <= 0) return 0;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : Number.NaN;
  if (Number.isNaN(since)) return 0;
  return Math.max(0, since + minReadySeconds * 1000 - now.getTime());
}

export function isMachineAvailable(machine: Machine, minReadySeconds: number, now: Date): boolean {
  return msUntilAvailable(machine, minReadySeconds, now) === 0;
}
