import type { ApplyPolicy } from "./apply-policy.js";

/**
 * When one Terraform run may plan and apply (`apply -auto-approve` with the
 * destroy guard, src/terraform/direct-apply.ts) instead of `plan -out` and
 * `apply planfile`. Only where no one reviews and nothing can be lost:
 * the `auto` policy, no held plan, no export of plans, a changed
 * configuration (an unchanged one is a drift check: its plan is the report),
 * and a state known to hold nothing the configuration no longer declares
 * (Terraform would destroy those without the guard noticing). Anything the
 * guard then refuses (a destroy or replacement) goes through the reviewed
 * two-step flow and its guards.
 */
export interface OneRunInputs {
  policy: ApplyPolicy;
  heldPlan: boolean;
  exportingPlans: boolean;
  configUnchanged: boolean;
  /** Managed resources in the state; undefined when the state was not read this pass. */
  stateResources: readonly string[] | undefined;
  /** Managed resources the new configuration declares. */
  configResources: readonly string[];
}

export type OneRunDecision =
  /** `expectedChanges`: resources to create, for the run's -parallelism. */
  { oneRun: true; expectedChanges: number } | { oneRun: false; why: string };

export function oneRunDecision(inputs: OneRunInputs): OneRunDecision {
  if (inputs.policy !== "auto") return no(`apply policy ${inputs.policy}`);
  if (inputs.heldPlan) return no("a held plan exists");
  if (inputs.exportingPlans) return no("plans are exported");
  if (inputs.configUnchanged) return no("the configuration is unchanged (a drift check)");
  if (inputs.stateResources === undefined) return no("the state was not read");
  const declared = new Set(inputs.configResources);
  const leaving = inputs.stateResources.filter((address) => !declared.has(address));
  if (leaving.length > 0) return no(`resources leave the configuration (${leaving.join(", ")})`);
  const present = new Set(inputs.stateResources);
  return { oneRun: true, expectedChanges: inputs.configResources.filter((a) => !present.has(a)).length };
}

function no(why: string): OneRunDecision {
  return { oneRun: false, why };
}
