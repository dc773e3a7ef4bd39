import type { DirectApplyResult } from "../terraform/direct-apply.js";
import type { StateLockedError } from "../terraform/errors.js";
import { mayHoldResources, readLocalStateFile } from "../terraform/state-files.js";
import type { StaleLockVerdict } from "../terraform/state-lock.js";
import type { ApplyResult, OutputValue, PlanResult, ShownPlan } from "../terraform/types.js";
import { TerraformWorkspace } from "../terraform/workspace.js";
import { type ClusterRef, type ConvergeOptions, clusterWorkDir } from "./options.js";

const CONFIG_FILE = "cdk.tf.json";

type Cancellable = { signal?: AbortSignal };

/**
 * The one door from the drivers (CLI commands, the cluster controller) to one
 * cluster's Terraform working directory `<stateDir>/<namespace>/<cluster>/`:
 * the only constructor of a TerraformWorkspace and the only code above
 * src/terraform/ that reads state or backend files. It needs no model, so a
 * Cluster whose spec no longer validates can still be destroyed or unlocked.
 */
export class ClusterTerraform {
  readonly workDir: string;
  private readonly workspace: TerraformWorkspace;

  /**
   * `sensitiveVariables`: this cluster's sensitive Terraform variables
   * (bootstrap data), passed as TF_VAR_* and redacted; see WorkspaceOptions.
   */
  constructor(
    readonly cluster: ClusterRef,
    options: ConvergeOptions,
    sensitiveVariables?: Readonly<Record<string, string>>,
  ) {
    this.workDir = clusterWorkDir(options.stateDir, cluster);
    this.workspace = new TerraformWorkspace({
      dir: this.workDir,
      configFile: CONFIG_FILE,
      ...(options.terraformBin ? { binary: options.terraformBin } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.providerMirror ? { providerMirror: options.providerMirror } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxParallelism ? { maxParallelism: options.maxParallelism } : {}),
      ...(options.backendCredentials ? { backendCredentials: options.backendCredentials } : {}),
      ...(sensitiveVariables ? { sensitiveVariables } : {}),
      onEvent: (event) => options.onEvent?.(cluster, event),
    });
  }

  /** Writes the synthesized configuration if its bytes differ; true when it changed. */
  writeConfig(json: string): Promise<boolean> {
    return this.workspace.writeConfig(json);
  }

  /** `terraform init`, skipped when nothing it depends on changed. */
  async init(options: Cancellable = {}): Promise<void> {
    await this.workspace.init(options);
  }

  plan(options: { destroy?: boolean } & Cancellable = {}): Promise<PlanResult> {
    return this.workspace.plan(options);
  }

  /** The plan for people and for drift details, redacted; each form costs a Terraform run. */
  showPlan(
    planFile: string,
    options: { json?: boolean; text?: boolean } & Cancellable = {},
  ): Promise<ShownPlan> {
    return this.workspace.showPlan(planFile, options);
  }

  applyPlanFile(planFile: string, options: Cancellable = {}): Promise<ApplyResult> {
    return this.workspace.apply(planFile, options);
  }

  /**
   * Plans and applies in one `apply -auto-approve` run, refused by Terraform
   * (nothing changed) when it would destroy or replace a declared resource.
   * Only for a state holding nothing the configuration lacks: see
   * src/plans/one-run.ts and src/terraform/direct-apply.ts.
   */
  applyDirect(options: { expectedChanges?: number } & Cancellable = {}): Promise<DirectApplyResult> {
    return this.workspace.applyDirect(options);
  }

  /** Outputs as they stand (after a no-change plan there is nothing to apply). */
  outputs(options: Cancellable = {}): Promise<Record<string, OutputValue>> {
    return this.workspace.outputs(options);
  }

  /** The state a shared backend holds (`state pull`); "" when there is none yet. */
  pullState(options: Cancellable = {}): Promise<string> {
    return this.workspace.pullState(options);
  }

  /** The local state file's text; "" when there is none. */
  async readLocalState(): Promise<string> {
    return (await readLocalStateFile(this.workDir)) ?? "";
  }

  /** Whether a destroy is needed: resources in the local state, or a remote backend (Terraform decides). */
  mayHoldResources(): Promise<boolean> {
    return mayHoldResources(this.workDir, CONFIG_FILE);
  }

  /** Plans a destroy and applies it when there is anything to destroy. */
  destroy(options: Cancellable = {}): Promise<{ plan: PlanResult; apply?: ApplyResult }> {
    return this.workspace.destroy(options);
  }

  /** `state rm` of the addresses the state holds (instances that outlive the stack); returns those. */
  forget(addresses: readonly string[], options: Cancellable = {}): Promise<string[]> {
    return this.workspace.forget(addresses, options);
  }

  /** Force-unlocks only a lock provably left by this directory's own dead run. */
  clearStaleLock(error: StateLockedError, options: Cancellable = {}): Promise<StaleLockVerdict> {
    return this.workspace.clearStaleLock(error, options);
  }
}
