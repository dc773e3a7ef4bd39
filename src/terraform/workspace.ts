import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, join, resolve } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { sha256 } from "../util/hash.js";
import { backendChangeFlags } from "./backend-change.js";
import { writeBackendCredentials } from "./backend-credentials.js";
import {
  errorFromDiagnostics,
  type StateLockedError,
  TerraformCancelledError,
  TerraformTimeoutError,
} from "./errors.js";
import { initFingerprint, isInitialised, recordInit } from "./init-fingerprint.js";
import { isAlive, runIsAlive } from "./liveness.js";
import { withDirectoryLock } from "./lock.js";
import { prepareCliConfig, resolveProviderMirror } from "./mirror.js";
import { parseOutputJson, registerSensitiveOutputs } from "./outputs.js";
import { readPlannedPriorState } from "./plan-file.js";
import { redactPlanJson } from "./plan-json.js";
import { type ProcessOutcome, runProcess } from "./process.js";
import { Redactor } from "./redact.js";
import { type FinishedRun, readRunHistory, readRunRecord } from "./run-record.js";
import { decideStaleLock, type StaleLockVerdict, terraformWho } from "./state-lock.js";
import type {
  ApplyResult,
  Diagnostic,
  InitResult,
  OutputValue,
  PlanOptions,
  PlanResult,
  RunRecord,
  RunStats,
  ShownPlan,
  TerraformEvent,
  TerraformOperation,
  TerraformUiEvent,
} from "./types.js";
import { parseUiLine, summarisePlan } from "./ui-stream.js";

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
}

interface RunOptions {
  signal?: AbortSignal;
  /** Parse stdout as the -json UI stream (else it is read whole after exit). */
  stream?: boolean;
  /** Exit codes that are not failures (plan -detailed-exitcode uses 2 for "changes"). */
  okExitCodes?: number[];
}

interface RunOutput {
  outcome: ProcessOutcome;
  events: TerraformUiEvent[];
  diagnostics: Diagnostic[];
  stdout: string;
}

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_CANCEL_GRACE_MS = 10 * 60_000;
/** A plan waits for the provider to load its schema (seconds) before honouring one SIGINT. */
const READ_ONLY_CANCEL_GRACE_MS = 1_000;

/**
 * One cluster's Terraform working directory. Every method holds the
 * directory's lock, so operations on one directory never overlap; everything
 * returned or emitted has passed the redactor.
 */
export class TerraformWorkspace {
  readonly dir: string;
  readonly runnerDir: string;
  readonly binary: string;
  readonly redactor: Redactor;
  private readonly baseEnv: Record<string, string>;
  private readonly providerMirror: string | undefined;
  private readonly timeoutMs: number;
  private readonly cancelGraceMs: number;
  private readonly abandonedRunWaitMs: number;
  private readonly configFile: string;
  private initJson: Promise<boolean> | undefined;

  constructor(private readonly options: WorkspaceOptions) {
    const env = options.env ?? process.env;
    this.dir = resolve(options.dir);
    this.runnerDir = join(this.dir, ".runner");
    this.binary = options.binary ?? env.CLUSTERFORM_TERRAFORM_BIN ?? "terraform";
    this.baseEnv = definedOnly(env);
    this.redactor = options.redactor ?? Redactor.fromEnv(env);
    for (const value of Object.values(options.backendCredentials ?? {})) this.redactor.add(value);
    this.providerMirror = resolveProviderMirror(options.providerMirror, env);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.cancelGraceMs = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
    this.abandonedRunWaitMs = options.abandonedRunWaitMs ?? this.timeoutMs;
    this.configFile = join(this.dir, options.configFile ?? "cdk.tf.json");
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
    return this.locked("init", () => this.initUnlocked(options.signal));
  }

  /** `plan -out -json -detailed-exitcode`, summarised from the stream (no `show` run). Initialises first if needed. */
  async plan(options: PlanOptions = {}): Promise<PlanResult> {
    return this.locked("plan", async () => {
      await this.initUnlocked(options.signal);
      return this.planUnlocked(options);
    });
  }

  /** The plan for people: `show -json` summarised and `show -no-color`, both redacted. Each costs a Terraform run. */
  async showPlan(planFile: string, options: { json?: boolean; text?: boolean; signal?: AbortSignal } = {}) {
    const { json = true, text = true, signal } = options;
    return this.locked("show", async (): Promise<ShownPlan> => {
      const shown: ShownPlan = {};
      if (json) {
        const { stdout } = await this.run("show", ["show", "-json", planFile], { signal });
        shown.json = redactPlanJson(JSON.parse(stdout), this.redactor);
      }
      if (text) {
        const { stdout } = await this.run("show", ["show", "-no-color", planFile], { signal });
        shown.text = this.redactor.redactText(stdout);
      }
      return shown;
    });
  }

  /** `apply -json <planfile>`; outputs from the stream, or from `output -json` when some are sensitive. */
  async apply(planFile: string, options: { signal?: AbortSignal } = {}): Promise<ApplyResult> {
    return this.locked("apply", () => this.applyUnlocked(planFile, options.signal));
  }

  /** `output -json`. Sensitive values are returned (flagged) and registered with the redactor. */
  async outputs(options: { signal?: AbortSignal } = {}): Promise<Record<string, OutputValue>> {
    return this.locked("output", () => this.outputsUnlocked(options.signal));
  }

  /**
   * `state pull` (initialising first if needed): the state as the backend holds
   * it ("" when there is none yet), for a remote backend whose state is not a
   * local file. Takes no state lock. The copy Terraform printed is not kept.
   */
  async pullState(options: { signal?: AbortSignal } = {}): Promise<string> {
    return this.locked("state", async () => {
      await this.initUnlocked(options.signal);
      const { stdout, outcome } = await this.run("state", ["state", "pull"], { signal: options.signal });
      await writeFile(outcome.stdoutFile, "");
      return stdout;
    });
  }

  /** Plans a destroy and applies it when there is anything to destroy. */
  async destroy(options: { signal?: AbortSignal } = {}): Promise<{ plan: PlanResult; apply?: ApplyResult }> {
    return this.locked("destroy", async () => {
      await this.initUnlocked(options.signal);
      const plan = await this.planUnlocked({ destroy: true, signal: options.signal });
      if (!plan.summary.hasChanges) return { plan };
      return { plan, apply: await this.applyUnlocked(plan.planFile, options.signal) };
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
      await this.initUnlocked(options.signal);
      const { stdout } = await this.run("state", ["state", "list"], { signal: options.signal });
      const present = new Set(stdout.split("\n").map((line) => line.trim()));
      const found = addresses.filter((address) => present.has(address));
      if (found.length > 0) await this.run("state", ["state", "rm", ...found], { signal: options.signal });
      return found;
    });
  }

  /** A run left by a process that died while its Terraform kept going (see `.runner/run.json`). */
  async abandonedRun(): Promise<RunRecord | undefined> {
    const record = await readRunRecord(this.runnerDir);
    if (!record) return undefined;
    return runIsAlive(record) && !isAlive(record.ownerPid) ? record : undefined;
  }

  /** `terraform force-unlock -force ID`: for a person who knows the holder is gone, or clearStaleLock. */
  async forceUnlock(lockId: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.locked("force-unlock", async () => {
      await this.run("force-unlock", ["force-unlock", "-force", lockId], { signal: options.signal });
    });
  }

  /**
   * Force-unlocks the state lock a run failed on only when it is provably this
   * directory's own, left by a run that died (decideStaleLock); anything else
   * (a pipeline, a live process, another host or user) is left alone.
   */
  async clearStaleLock(
    error: StateLockedError,
    options: { signal?: AbortSignal } = {},
  ): Promise<StaleLockVerdict> {
    return this.locked("force-unlock", async () => {
      const { lock } = error;
      if (!lock) return { stale: false, reason: "Terraform did not describe the lock" };
      const verdict = decideStaleLock({
        lock,
        runs: await this.pastRuns(),
        who: terraformWho(this.baseEnv),
        hostname: hostname(),
        isAlive: runIsAlive,
      });
      if (verdict.stale)
        await this.run("force-unlock", ["force-unlock", "-force", lock.id], { signal: options.signal });
      return verdict;
    });
  }

  /** The run history, plus a run record left by a crashed owner (none of ours runs while we hold the lock). */
  private async pastRuns(): Promise<FinishedRun[]> {
    const runs = await readRunHistory(this.runnerDir);
    const left = await readRunRecord(this.runnerDir);
    if (left) runs.push({ ...left, endedAt: new Date().toISOString(), end: "abandoned" });
    return runs;
  }

  private async initUnlocked(signal?: AbortSignal): Promise<InitResult> {
    const config = JSON.parse(await readFile(this.configFile, "utf8")) as unknown;
    const cli = await this.cliConfig();
    const credentials = await writeBackendCredentials(this.runnerDir, this.options.backendCredentials);
    const fingerprint = initFingerprint(config, this.binary, cli.text, credentials?.digest);
    if (await isInitialised(this.dir, this.runnerDir, fingerprint)) {
      this.emit({
        type: "init_skipped",
        reason: "providers, backend and CLI config unchanged since the last init",
      });
      return { ran: false };
    }
    const backendFlags = await backendChangeFlags(this.dir, config);
    const json = await this.initSupportsJson(signal);
    const args = [
      "init",
      "-input=false",
      ...backendFlags,
      ...(credentials ? [`-backend-config=${credentials.path}`] : []),
      ...(json ? ["-json"] : ["-no-color"]),
    ];
    const { outcome } = await this.run("init", args, { signal, stream: json });
    await recordInit(this.runnerDir, fingerprint);
    return { ran: true, run: statsOf(outcome) };
  }

  /** `init -json` exists from Terraform 1.9; older ones (and tofu) get plain init, failures from stderr. */
  private async initSupportsJson(signal?: AbortSignal): Promise<boolean> {
    if (/tofu/i.test(basename(this.binary))) return false;
    this.initJson ??= this.run("version", ["version", "-json"], { signal }).then(({ stdout }) => {
      const version = String((JSON.parse(stdout) as { terraform_version?: string }).terraform_version ?? "0");
      const [major = 0, minor = 0] = version.split(".").map(Number);
      return major > 1 || (major === 1 && minor >= 9);
    });
    this.initJson.catch(() => {
      this.initJson = undefined;
    });
    return this.initJson;
  }

  private async planUnlocked(options: PlanOptions): Promise<PlanResult> {
    const kind = options.destroy ? "destroy" : options.refreshOnly ? "refresh" : "plan";
    const planFile = resolve(this.dir, options.planFile ?? join(".runner", `${kind}.tfplan`));
    const configBytes = await readFile(this.configFile);
    const args = ["plan", "-input=false", `-out=${planFile}`, "-json", "-detailed-exitcode"];
    if (options.destroy) args.push("-destroy");
    if (options.refreshOnly) args.push("-refresh-only");
    const { outcome, events, diagnostics } = await this.run("plan", args, {
      signal: options.signal,
      stream: true,
      okExitCodes: [0, 2],
    });
    // The plan file can hold sensitive values in clear text.
    await chmod(planFile, 0o600);
    const priorState = await readPlannedPriorState(planFile).catch(() => undefined);
    return {
      planFile,
      summary: summarisePlan(events, outcome.exitCode ?? 1),
      diagnostics,
      configHash: sha256(configBytes),
      ...(priorState === undefined ? {} : { priorState }),
      run: statsOf(outcome),
    };
  }

  private async applyUnlocked(planFile: string, signal?: AbortSignal): Promise<ApplyResult> {
    const { outcome, events, diagnostics } = await this.run(
      "apply",
      ["apply", "-input=false", "-json", planFile],
      {
        signal,
        stream: true,
      },
    );
    const summary = findLastOf(events, "change_summary");
    const streamed = findLastOf(events, "outputs");
    const complete = streamed && Object.values(streamed.outputs).every((o) => !o.sensitive && "value" in o);
    const outputs = complete ? fromStream(streamed.outputs) : await this.outputsUnlocked(signal);
    return {
      applied: {
        add: summary?.add ?? 0,
        change: summary?.change ?? 0,
        destroy: summary?.remove ?? 0,
        import: summary?.import ?? 0,
      },
      outputs,
      outputsFromOutputCommand: !complete,
      diagnostics,
      run: statsOf(outcome),
    };
  }

  private async outputsUnlocked(signal?: AbortSignal): Promise<Record<string, OutputValue>> {
    const { stdout } = await this.run("output", ["output", "-json"], { signal });
    const outputs = parseOutputJson(stdout);
    registerSensitiveOutputs(outputs, this.redactor);
    return outputs;
  }

  /** Runs one Terraform command and turns its failure into a typed error. */
  private async run(operation: TerraformOperation, args: string[], options: RunOptions): Promise<RunOutput> {
    const env = await this.childEnv();
    const events: TerraformUiEvent[] = [];
    const diagnostics: Diagnostic[] = [];
    const onLine = (line: string) => {
      const parsed = parseUiLine(line);
      if (!parsed) return;
      const event = this.redactor.redact(parsed);
      events.push(event);
      if (event.type === "diagnostic") diagnostics.push(event.diagnostic);
      this.emit(event);
    };
    const outcome = await runProcess({
      binary: this.binary,
      args,
      cwd: this.dir,
      runnerDir: this.runnerDir,
      env,
      operation,
      timeoutMs: this.timeoutMs,
      cancelGraceMs:
        operation === "apply" ? this.cancelGraceMs : Math.min(this.cancelGraceMs, READ_ONLY_CANCEL_GRACE_MS),
      signal: options.signal,
      onStart: (pid) => this.emit({ type: "run_start", operation, args, pid }),
      onLine: options.stream ? onLine : undefined,
    });
    const { exitCode, durationMs, cpuMs } = outcome;
    this.emit({ type: "run_end", operation, exitCode, durationMs, cpuMs });
    const stderr = this.redactor.redactText(outcome.stderr);
    if (stderr.trim()) this.emit({ type: "stderr", text: stderr });
    if (outcome.timedOut) throw new TerraformTimeoutError(operation, this.dir, this.timeoutMs);
    if (outcome.cancelled) throw new TerraformCancelledError(operation, this.dir);
    const stdout = options.stream ? "" : await readFile(outcome.stdoutFile, "utf8");
    if (!(options.okExitCodes ?? [0]).includes(exitCode ?? -1)) {
      throw errorFromDiagnostics(operation, this.dir, diagnostics, exitCode, stderr);
    }
    return { outcome, events, diagnostics, stdout };
  }

  private async childEnv(): Promise<Record<string, string>> {
    const env: Record<string, string> = {
      ...this.baseEnv,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      // No call home to checkpoint.hashicorp.com: loopback only.
      CHECKPOINT_DISABLE: "1",
    };
    for (const [name, value] of Object.entries((await this.cliConfig()).env)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    return env;
  }

  private cliConfig() {
    return prepareCliConfig({
      runnerDir: this.runnerDir,
      providerMirror: this.providerMirror,
      env: this.baseEnv,
      binary: this.binary,
    });
  }

  private async locked<T>(operation: string, task: () => Promise<T>): Promise<T> {
    await mkdir(this.runnerDir, { recursive: true, mode: 0o700 });
    return withDirectoryLock(this.runnerDir, operation, task, this.abandonedRunWaitMs);
  }

  private emit(event: TerraformEvent): void {
    this.options.onEvent?.(event);
  }
}

function fromStream(outputs: Record<string, { value?: unknown; sensitive: boolean; type?: unknown }>) {
  const result: Record<string, OutputValue> = {};
  for (const [name, output] of Object.entries(outputs)) {
    result[name] = { value: output.value, sensitive: output.sensitive, type: output.type };
  }
  return result;
}

function statsOf(outcome: ProcessOutcome): RunStats {
  return { durationMs: outcome.durationMs, cpuMs: outcome.cpuMs };
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  return result;
}

function findLastOf<K extends TerraformUiEvent["type"]>(events: readonly TerraformUiEvent[], type: K) {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type === type) return event as Extract<TerraformUiEvent, { type: K }>;
  }
  return undefined;
}
