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
  /**
   * No record of the last apply where one is kept (a controller's new working
   * directory, e.g. a rescheduled pod, over a shared state): whether anything
   * changed is unknown, and a plan says so without applying.
   */
  lastApplyUnknown?: boolean;
  /** Managed resources in the state; undefined when the state was not read this pass. */
  stateResources: readonly string[] | undefined;
  /** Managed resources the new configuration declares. */
  configResources: readonly string[];
}

export type OneRunDecision =
  /** `expectedChanges`: resources to create, for the run's -parallelism. */
  { oneRun: true; expectedChanges: number } | { oneRun: false; why: string };

/**
 * Why a one-run apply is out of the question before the state is read, or
 * undefined: a shared backend's state costs a Terraform run to read, so it is
 * read for this only when nothing else rules the one run out.
 */
export function oneRunRuledOut(
  inputs: Pick<OneRunInputs, "policy" | "heldPlan" | "exportingPlans" | "configUnchanged">,
): string | undefined {
  if (inputs.policy !== "auto") return `apply policy ${inputs.policy}`;
  if (inputs.heldPlan) return "a held plan exists";
  if (inputs.exportingPlans) return "plans are exported";
  if (inputs.configUnchanged) return "the configuration is unchanged (a drift check)";
  return undefined;
}

export function oneRunDecision(inputs: OneRunInputs): OneRunDecision {
  const ruledOut = oneRunRuledOut(inputs);
  if (ruledOut) return no(ruledOut);
  if (inputs.stateResources === undefined) return no("the state was not read");
  if (inputs.lastApplyUnknown && inputs.stateResources.length > 0)
    return no("no record of the last apply in this working directory: a plan shows what differs");
  const declared = new Set(inputs.configResources);
  const leaving = inputs.stateResources.filter((address) => !declared.has(address));
  if (leaving.length > 0) return no(`resources leave the configuration (${leaving.join(", ")})`);
  const present = new Set(inputs.stateResources);
  return { oneRun: true, expectedChanges: inputs.configResources.filter((a) => !present.has(a)).length };
}

function no(why: string): OneRunDecision {
  return { oneRun: false, why };
}
