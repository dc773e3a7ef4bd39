import type { Machine } from "../../api/machine.js";
import type { MachineSet } from "../../api/machine-set.js";
import { isDeleting } from "../../util/objects.js";
import { selectorMatcher } from "../shared/labels.js";
import { controllerRefOf } from "../shared/owner-refs.js";

export interface MachineClaim {
  /** Controlled by the set, matching its selector, not being deleted: these count. */
  active: Machine[];
  /** Controlled by the set but already being deleted: they no longer count. */
  deleting: Machine[];
  /** Matching orphans (no controller) in the set's namespace to adopt. */
  adopt: Machine[];
  /** Controlled by the set but no longer matching its selector: release them. */
  release: Machine[];
}

/** Sorts the namespace's Machines by their relation to the set (pure; the reconcile acts on it). */
export function claimMachines(set: MachineSet, machines: readonly Machine[]): MachineClaim {
  const matches = selectorMatcher(set.spec.selector);
  const claim: MachineClaim = { active: [], deleting: [], adopt: [], release: [] };
  const setDeleting = Boolean(set.metadata.deletionTimestamp);
  for (const machine of machines) {
    if (machine.metadata.namespace !== set.metadata.namespace) continue;
    const ref = controllerRefOf(machine as never);
    const matching = matches(machine as never);
    const deleting = isDeleting(machine);
    if (ref?.uid === set.metadata.uid) {
      if (!matching) {
        if (!deleting) claim.release.push(machine);
      } else if (deleting) claim.deleting.push(machine);
      else claim.active.push(machine);
    } else if (!ref && matching && !deleting && !setDeleting) {
      claim.adopt.push(machine);
    }
  }
  return claim;
}
