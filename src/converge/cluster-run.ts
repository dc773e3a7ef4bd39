import { synthesizeStack } from "../../stacks/index.js";
import type { ClusterModel } from "../model/types.js";
import type { ApplyResult, OutputValue, PlanResult, ShownPlan } from "../terraform/types.js";
import { TerraformWorkspace } from "../terraform/workspace.js";
import { type ConvergeOptions, clusterWorkDir } from "./options.js";

/**
 * One cluster's convergence, step by step: synth -> init -> plan, then the
 * caller's gate (a prompt, an approval), then apply -> outputs. The CLI and
 * the controllers drive the same steps; only the gate differs.
 */
export class ClusterRun {
  readonly workspace: TerraformWorkspace;
  /** One-line resource summary of the synthesized stack. */
  stackSummary = "";
  configChanged = false;

  /**
   * `sensitiveVariables`: this cluster's sensitive Terraform variables
   * (bootstrap data), passed as TF_VAR_* and redacted; see WorkspaceOptions.
   */
  constructor(
    readonly model: ClusterModel,
    private readonly options: ConvergeOptions,
    sensitiveVariables?: Readonly<Record<string, string>>,
  ) {
    this.workspace = new TerraformWorkspace({
      dir: clusterWorkDir(options.stateDir, model),
      ...(options.terraformBin ? { binary: options.terraformBin } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.providerMirror ? { providerMirror: options.providerMirror } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.backendCredentials ? { backendCredentials: options.backendCredentials } : {}),
      ...(sensitiveVariables ? { sensitiveVariables } : {}),
      onEvent: (event) => options.onEvent?.(model, event),
    });
  }

  /** Synthesizes the stack into the working directory and initialises it (cheap when nothing changed). */
  async prepare(signal?: AbortSignal): Promise<void> {
    const stack = synthesizeStack(
      this.model,
      this.options.awsEndpoint ? { awsEndpoint: this.options.awsEndpoint } : {},
    );
    this.stackSummary = stack.summary;
    this.configChanged = await this.workspace.writeConfig(stack.json);
    await this.workspace.init(signal ? { signal } : {});
  }

  plan(options: { destroy?: boolean; signal?: AbortSignal } = {}): Promise<PlanResult> {
    return this.workspace.plan(options);
  }

  /** The plan rendered for people, redacted. */
  show(plan: PlanResult, signal?: AbortSignal): Promise<ShownPlan> {
    return this.workspace.showPlan(plan.planFile, { text: true, ...(signal ? { signal } : {}) });
  }

  apply(plan: PlanResult, signal?: AbortSignal): Promise<ApplyResult> {
    return this.workspace.apply(plan.planFile, signal ? { signal } : {});
  }

  /** Outputs as they stand (after a no-change plan there is nothing to apply). */
  outputs(signal?: AbortSignal): Promise<Record<string, OutputValue>> {
    return this.workspace.outputs(signal ? { signal } : {});
  }
}
