import type { PathError } from "../../api/field-path.js";
import type { MachineDeployment, MachineSet } from "../../api/machine-set.js";
import { checkSelector, explainMismatch } from "../../api/selector.js";

/**
 * What would make a MachineSet or MachineDeployment create Machines forever:
 * an empty or malformed selector, or template labels the selector does not
 * match (each new Machine would be released at once and replaced).
 */
export function checkMachineOwner(owner: MachineSet | MachineDeployment): PathError[] {
  const problems = checkSelector(owner.spec.selector, "spec.selector");
  if (problems.length) return problems;
  const mismatch = explainMismatch(owner.spec.selector, owner.spec.template?.metadata?.labels ?? {});
  return mismatch
    ? [{ path: "spec.template.metadata.labels", message: `do not match spec.selector: ${mismatch}` }]
    : [];
}

export function formatProblems(problems: readonly PathError[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join("; ");
}
