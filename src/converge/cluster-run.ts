import { managedAddresses, synthesizeStack } from "../../stacks/index.js";
import type { ClusterModel } from "../model/types.js";
import type { ApplyResult, PlanResult, ShownPlan } from "../terraform/types.js";
import { ClusterTerraform } from "./cluster-terraform.js";
import type { ConvergeOptions } from "./options.js";

/**
 * One cluster's convergence, step by step: synth -> init -> plan, then the
 * caller's gate (a prompt, an approval), then apply -> outputs. The CLI and
 * the controllers drive the same steps; only the gate differs.
 */
export class ClusterRun extends ClusterTerraform {
  /** One-line resource summary of the synthesized stack. */
  stackSummary = "";
  configChanged = false;
  /** `type.name` of every resource the synthesized stack declares. */
  stackResources: string[] = [];

  /** `sensitiveVariables`: the cluster's bootstrap data as `bootstrapVariables(...)` gives it (TF_VAR_*, redacted). */
  constructor(
    readonly model: ClusterModel,
    private readonly options: ConvergeOptions,
    sensitiveVariables?: Readonly<Record<string, string>>,
  ) {
    super(model, options, sensitiveVariables);
  }

  /** Synthesizes the stack into the working directory and initialises it (cheap when nothing changed). */
  async prepare(signal?: AbortSignal): Promise<void> {
    const stack = synthesizeStack(
      this.model,
      this.options.awsEndpoint ? { awsEndpoint: this.options.awsEndpoint } : {},
    );
    this.stackSummary = stack.summary;
    this.stackResources = managedAddresses(stack.resources);
    this.configChanged = await this.writeConfig(stack.json);
    await this.init(signal ? { signal } : {});
  }

  /** The plan rendered for people, redacted. */
  show(plan: PlanResult, signal?: AbortSignal): Promise<ShownPlan> {
    return this.showPlan(plan.planFile, { text: true, json: true, ...(signal ? { signal } : {}) });
  }

  apply(plan: PlanResult, signal?: AbortSignal): Promise<ApplyResult> {
    return this.applyPlanFile(plan.planFile, signal ? { signal } : {});
  }
}
