import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { TerraformCommand } from "./command.js";
import { type DirectApplyResult, removeDestroyGuard, runDirectApply } from "./direct-apply.js";
import type { StateLockedError } from "./errors.js";
import { InitStep } from "./init.js";
import { withDirectoryLock } from "./lock.js";
import { abandonedRun, clearStaleLock } from "./lock-recovery.js";
import { resolveProviderMirror } from "./mirror.js";
import { applyParallelism } from "./parallelism.js";
import { runApply, runOutputs, runPlan, runShow } from "./plan-apply.js";
import { Redactor } from "./redact.js";
import type { StaleLockVerdict } from "./state-lock.js";
import type {
  ApplyResult,
  InitResult,
  OutputValue,
  PlanOptions,
  PlanResult,
  RedactedPlanJson,
  RunRecord,
  ShownPlan,
  TerraformEvent,
} from "./types.js";

export interface WorkspaceOptions {
  /** The cluster's working directory (created if missing). */
  dir: string;
  /** "terraform", "tofu" or a path; default $CLUSTERFORM_TERRAFORM_BIN or "terraform". */
  binary?: string;
  /** Terraform's environment (credentials go here); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Mirror folder; undefined: $CLUSTERFORM_PROVIDER_MIRROR, the user's CLI config, or detection; false: none. */
  providerMirror?: string | false;
  /** Per Terraform process; default 30 minutes. */
  timeoutMs?: number;
  /**
   * Time an apply gets to stop gracefully after SIGINT (it finishes in-flight
   * cloud calls and saves state) before it is told to exit at once; default 10 min.
   * Read-only commands (plan, show, output, init) get about a second: they write no state.
   */
  cancelGraceMs?: number;
  /** How long to wait for a Terraform run abandoned by a crashed owner; default timeoutMs. */
  abandonedRunWaitMs?: number;
  /** Progress: Terraform's -json UI messages and the runner's own events, redacted. */
  onEvent?: (event: TerraformEvent) => void;
  /** Masks secrets in everything handed out; default: built from `env`. */
  redactor?: Redactor;
  /** Name of the configuration file in `dir`; default cdk.tf.json. */
  configFile?: string;
  /**
   * Backend settings given to `init` outside the configuration (partial
   * configuration), e.g. the s3 backend's access_key/secret_key/token from a
   * Secret. Registered with the redactor.
   */
  backendCredentials?: Readonly<Record<string, string>>;
  /**
   * Values of the configuration's sensitive variables (name -> value), e.g.
   * bootstrap data: passed to every Terraform command as `TF_VAR_<name>`,
   * never written to a file, and registered with the redactor.
   */
  sensitiveVariables?: Readonly<Record<string, string>>;
  /**
   * Upper bound of `-parallelism` for applies (resource operations at once),
   * for the cloud API's rate limits; the value itself follows the plan's size
   * (parallelism.ts). Default 32.
   */
  maxParallelism?: number;
}

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_CANCEL_GRACE_MS = 10 * 60_000;

/**
 * One cluster's Terraform working directory. Every method holds the
 * directory's lock, so operations on one directory never overlap; everything
 * returned or emitted has passed the redactor. The work itself lives by
 * concern: command.ts (running one command), init.ts (init and backends),
 * plan-apply.ts (plan, show, apply, output), lock-recovery.ts (what a dead
 * run left behind).
 */
export class TerraformWorkspace {
  readonly dir: string;
  readonly runnerDir: string;
  readonly binary: string;
  readonly redactor: Redactor;
  private readonly command: TerraformCommand;
  private readonly initStep: InitStep;
  private readonly providerMirror: string | undefined;
  private readonly abandonedRunWaitMs: number;
  private readonly configFile: string;
  private readonly maxParallelism: number | undefined;
  /** Planned resource changes per plan file this workspace wrote, for the apply's -parallelism. */
  private readonly plannedChanges = new Map<string, number>();
  /** `show -json` of each plan file this workspace read (a new plan at that path forgets it). */
  private readonly shownJson = new Map<string, RedactedPlanJson>();

  constructor(options: WorkspaceOptions) {
    const env = options.env ?? process.env;
    this.dir = resolve(options.dir);
    this.runnerDir = join(this.dir, ".runner");
    this.binary = options.binary ?? env.CLUSTERFORM_TERRAFORM_BIN ?? "terraform";
    this.redactor = options.redactor ?? Redactor.fromEnv(env);
    for (const value of Object.values(options.backendCredentials ?? {})) this.redactor.add(value);
    const variableEnv = sensitiveVariableEnv(options.sensitiveVariables ?? {});
    for (const value of Object.values(variableEnv)) this.redactor.add(value);
    this.providerMirror = resolveProviderMirror(options.providerMirror, env);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.abandonedRunWaitMs = options.abandonedRunWaitMs ?? timeoutMs;
    this.configFile = join(this.dir, options.configFile ?? "cdk.tf.json");
    this.maxParallelism = options.maxParallelism;
    this.command = new TerraformCommand({
      dir: this.dir,
      runnerDir: this.runnerDir,
      binary: this.binary,
      baseEnv: { ...definedOnly(env), ...variableEnv },
      providerMirror: this.providerMirror,
      redactor: this.redactor,
      timeoutMs,
      cancelGraceMs: options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS,
      onEvent: options.onEvent,
    });
    this.initStep = new InitStep(this.command, this.configFile, options.backendCredentials);
  }

  /** The mirror in use, if any. */
  get mirror(): string | undefined {
    return this.providerMirror;
  }

  /** Writes the configuration if its bytes differ; true when it changed. */
  async writeConfig(config: string | object): Promise<boolean> {
    const text = typeof config === "string" ? config : `${JSON.stringify(config, null, 2)}\n`;
    return this.locked("writeConfig", async () => {
      if ((await readFile(this.configFile, "utf8").catch(() => undefined)) === text) return false;
      await writeFileAtomic(this.configFile, text);
      return true;
    });
  }

  /** `terraform init`, skipped when nothing it depends on changed since the last one. */
  async init(options: { signal?: AbortSignal } = {}): Promise<InitResult> {
    return this.locked("init", () => this.initStep.run(options.signal));
  }

  /** `plan -out -json -detailed-exitcode`, summarised from the stream (no `show` run). Initialises first if needed. */
  async plan(options: PlanOptions = {}): Promise<PlanResult> {
    return this.locked("plan", async () => {
      await this.initStep.run(options.signal);
      return this.remember(await runPlan(this.command, this.configFile, options));
    });
  }

  /** The plan for people: `show -json` summarised and `show -no-color`, both redacted. Each costs a Terraform run. */
  async showPlan(
    planFile: string,
    options: { json?: boolean; text?: boolean; signal?: AbortSignal } = {},
  ): Promise<ShownPlan> {
    const { json = true, text = true, signal } = options;
    // A plan's JSON is asked for by several readers (guards, drift details, the ConfigMap): one run.
    const key = resolve(this.dir, planFile);
    const known = json ? this.shownJson.get(key) : undefined;
    const shown = await this.locked("show", () =>
      runShow(this.command, planFile, { json: json && !known, text, signal }),
    );
    if (known) shown.json = known;
    else if (shown.json) this.shownJson.set(key, shown.json);
    return shown;
  }

  /** `apply -json <planfile>`; outputs from the stream, or from `output -json` when some are sensitive. */
  async apply(planFile: string, options: { signal?: AbortSignal } = {}): Promise<ApplyResult> {
    return this.locked("apply", () =>
      runApply(this.command, planFile, options.signal, this.parallelismFor(planFile)),
    );
  }

  /**
   * Plans and applies in one `apply -auto-approve` run that Terraform refuses
   * (changing nothing) when it would destroy or replace a declared resource;
   * see direct-apply.ts for what the caller must check first.
   * `expectedChanges` sizes `-parallelism` as a plan's change count would.
   */
  async applyDirect(
    options: { signal?: AbortSignal; expectedChanges?: number } = {},
  ): Promise<DirectApplyResult> {
    return this.locked("apply", async () => {
      await this.initStep.run(options.signal);
      const parallelism = applyParallelism(options.expectedChanges, this.maxParallelism);
      return runDirectApply(this.command, this.configFile, { signal: options.signal, parallelism });
    });
  }

  /** `output -json`. Sensitive values are returned (flagged) and registered with the redactor. */
  async outputs(options: { signal?: AbortSignal } = {}): Promise<Record<string, OutputValue>> {
    return this.locked("output", () => runOutputs(this.command, options.signal));
  }

  /**
   * `state pull` (initialising first if needed): the state as the backend holds
   * it ("" when there is none yet), for a remote backend whose state is not a
   * local file. Takes no state lock. The copy Terraform printed is not kept.
   */
  async pullState(options: { signal?: AbortSignal } = {}): Promise<string> {
    return this.locked("state", async () => {
      await this.initStep.run(options.signal);
      const { stdout, outcome } = await this.command.run("state", ["state", "pull"], {
        signal: options.signal,
      });
      await writeFile(outcome.stdoutFile, "");
      return stdout;
    });
  }

  /** Plans a destroy and applies it when there is anything to destroy. */
  async destroy(options: { signal?: AbortSignal } = {}): Promise<{ plan: PlanResult; apply?: ApplyResult }> {
    return this.locked("destroy", async () => {
      await this.initStep.run(options.signal);
      const plan = this.remember(
        await runPlan(this.command, this.configFile, { destroy: true, signal: options.signal }),
      );
      if (!plan.summary.hasChanges) return { plan };
      const parallelism = this.parallelismFor(plan.planFile);
      return { plan, apply: await runApply(this.command, plan.planFile, options.signal, parallelism) };
    });
  }

  /**
   * Forgets resources without touching them (`state rm`), for instances that
   * must outlive their stack. Returns the addresses that were in the state;
   * the others are skipped (`state rm` fails on an address it cannot find).
   */
  async forget(addresses: readonly string[], options: { signal?: AbortSignal } = {}): Promise<string[]> {
    if (addresses.length === 0) return [];
    return this.locked("forget", async () => {
      await this.initStep.run(options.signal);
      const { signal } = options;
      const { stdout } = await this.command.run("state", ["state", "list"], { signal });
      const present = new Set(stdout.split("\n").map((line) => line.trim()));
      const found = addresses.filter((address) => present.has(address));
      if (found.length > 0) await this.command.run("state", ["state", "rm", ...found], { signal });
      return found;
    });
  }

  /** A run left by a process that died while its Terraform kept going (see `.runner/run.json`). */
  abandonedRun(): Promise<RunRecord | undefined> {
    return abandonedRun(this.runnerDir);
  }

  /** `terraform force-unlock -force ID`: for a person who knows the holder is gone, or clearStaleLock. */
  async forceUnlock(lockId: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.locked("force-unlock", async () => {
      await this.command.run("force-unlock", ["force-unlock", "-force", lockId], { signal: options.signal });
    });
  }

  /** Force-unlocks the lock a run failed on only when it is provably this directory's own dead run's. */
  async clearStaleLock(
    error: StateLockedError,
    options: { signal?: AbortSignal } = {},
  ): Promise<StaleLockVerdict> {
    return this.locked("force-unlock", () => clearStaleLock(this.command, error, options.signal));
  }

  private remember(plan: PlanResult): PlanResult {
    this.plannedChanges.set(plan.planFile, plan.summary.changes.length);
    this.shownJson.delete(resolve(this.dir, plan.planFile));
    return plan;
  }

  /** A plan file from an earlier process (a held plan applied after a restart) gets Terraform's default. */
  private parallelismFor(planFile: string): number | undefined {
    return applyParallelism(this.plannedChanges.get(resolve(this.dir, planFile)), this.maxParallelism);
  }

  private async locked<T>(operation: string, task: () => Promise<T>): Promise<T> {
    await mkdir(this.runnerDir, { recursive: true, mode: 0o700 });
    return withDirectoryLock(
      this.runnerDir,
      operation,
      async () => {
        // A one-run apply that died left its destroy guard: no other run may see it.
        await removeDestroyGuard(this.dir);
        return task();
      },
      this.abandonedRunWaitMs,
    );
  }
}

/** A Terraform variable name (letters, digits, "_" and "-", not starting with a digit). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function sensitiveVariableEnv(variables: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (!VARIABLE_NAME.test(name)) throw new Error(`"${name}" is not a Terraform variable name`);
    env[`TF_VAR_${name}`] = value;
  }
  return env;
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  return result;
}
