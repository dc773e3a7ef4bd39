import type { Machine } from "../../api/machine.js";
import type { MachineSet, MachineSetStatus } from "../../api/machine-set.js";
import { selectorToString } from "../../api/selector.js";
import { hasAllLabels } from "../shared/labels.js";
import { isMachineReady, msUntilAvailable } from "../shared/machines.js";

export interface ComputedSetStatus {
  status: MachineSetStatus;
  /** When a Ready Machine will have been Ready for minReadySeconds: look again then. */
  recheckAfterMs?: number;
}

/**
 * The set's counters from the Machines it controls (not being deleted):
 * replicas, fullyLabeledReplicas (every template label present),
 * readyReplicas (Ready=True), availableReplicas (Ready for minReadySeconds),
 * plus observedGeneration and the selector string for the scale subresource.
 * No error fields: a set this is computed for is valid (clears an earlier error).
 */
export function computeSetStatus(set: MachineSet, active: readonly Machine[], now: Date): ComputedSetStatus {
  const templateLabels = set.spec.template?.metadata?.labels ?? {};
  const minReadySeconds = set.spec.minReadySeconds ?? 0;
  let available = 0;
  let recheckAfterMs: number | undefined;
  for (const machine of active) {
    const wait = msUntilAvailable(machine, minReadySeconds, now);
    if (wait === 0) available++;
    else if (wait !== undefined) recheckAfterMs = Math.min(recheckAfterMs ?? wait, wait);
  }
  const status: MachineSetStatus = {
    replicas: active.length,
    fullyLabeledReplicas: active.filter((m) => hasAllLabels(m.metadata.labels ?? {}, templateLabels)).length,
    readyReplicas: active.filter(isMachineReady).length,
    availableReplicas: available,
    observedGeneration: set.metadata.generation ?? 0,
    selector: selectorToString(set.spec.selector),
  };
  return { status, ...(recheckAfterMs !== undefined ? { recheckAfterMs: recheckAfterMs + 50 } : {}) };
}
