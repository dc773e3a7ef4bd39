import type { MachineTemplate } from "../../api/machine-set.js";
import { hashValue } from "../../util/hash.js";

/** Label on a MachineDeployment's MachineSets (their selector and template) naming the template they run. */
export const TEMPLATE_HASH_LABEL = "machine-template-hash";

/**
 * A stable 10-character hash of a Machine template (its hash label left
 * out): the same template always maps to the same MachineSet, any change to
 * labels, annotations or spec maps to a new one.
 */
export function templateHash(template: MachineTemplate): string {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[TEMPLATE_HASH_LABEL];
  const normalised = { ...template, metadata: { ...(template.metadata ?? {}), labels } };
  return hashValue(normalised).slice(0, 10);
}
