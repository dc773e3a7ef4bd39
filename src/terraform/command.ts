import { readFile } from "node:fs/promises";
import { errorFromDiagnostics, TerraformCancelledError, TerraformTimeoutError } from "./errors.js";
import { prepareCliConfig } from "./mirror.js";
import { type ProcessOutcome, runProcess } from "./process.js";
import type { Redactor } from "./redact.js";
import type {
  Diagnostic,
  RunResult,
  RunStats,
  TerraformEvent,
  TerraformOperation,
  TerraformUiEvent,
} from "./types.js";
import { parseUiLine } from "./ui-stream.js";

export interface CommandSettings {
  dir: string;
  runnerDir: string;
  binary: string;
  /** Terraform's environment, undefined values dropped. */
  baseEnv: Record<string, string>;
  providerMirror: string | undefined;
  redactor: Redactor;
  timeoutMs: number;
  /** Time an apply gets to stop gracefully after SIGINT. */
  cancelGraceMs: number;
  onEvent?: ((event: TerraformEvent) => void) | undefined;
}

export interface RunOptions {
  signal?: AbortSignal | undefined;
  /** Parse stdout as the -json UI stream (else it is read whole after exit). */
  stream?: boolean;
  /** Exit codes that are not failures (plan -detailed-exitcode uses 2 for "changes"). */
  okExitCodes?: number[];
  /** A failure these diagnostics explain is a refusal the caller handles: reported as "refused", not thrown. */
  refusedWhen?: (diagnostics: readonly Diagnostic[]) => boolean;
}

export interface RunOutput {
  outcome: ProcessOutcome;
  events: TerraformUiEvent[];
  diagnostics: Diagnostic[];
  stdout: string;
  /** The run failed in the way `refusedWhen` names (never true without it). */
  refused: boolean;
}

/** A plan waits for the provider to load its schema (seconds) before honouring one SIGINT. */
const READ_ONLY_CANCEL_GRACE_MS = 1_000;

/**
 * Runs one Terraform command in a working directory: environment and CLI
 * config, the -json UI stream redacted and emitted, a failure turned into a
 * typed error. Callers hold the directory lock (TerraformWorkspace does).
 */
export class TerraformCommand {
  constructor(readonly settings: CommandSettings) {}

  async run(operation: TerraformOperation, args: string[], options: RunOptions): Promise<RunOutput> {
    const { settings } = this;
    const env = await this.childEnv();
    const events: TerraformUiEvent[] = [];
    const diagnostics: Diagnostic[] = [];
    const onLine = (line: string) => {
      const parsed = parseUiLine(line);
      if (!parsed) return;
      const event = settings.redactor.redact(parsed);
      events.push(event);
      if (event.type === "diagnostic") diagnostics.push(event.diagnostic);
      this.emit(event);
    };
    const outcome = await runProcess({
      binary: settings.binary,
      args,
      cwd: settings.dir,
      runnerDir: settings.runnerDir,
      env,
      operation,
      timeoutMs: settings.timeoutMs,
      cancelGraceMs:
        operation === "apply"
          ? settings.cancelGraceMs
          : Math.min(settings.cancelGraceMs, READ_ONLY_CANCEL_GRACE_MS),
      signal: options.signal,
      onStart: (pid) => this.emit({ type: "run_start", operation, args, pid }),
      onLine: options.stream ? onLine : undefined,
    });
    const { exitCode, durationMs, cpuMs } = outcome;
    const accepted = (options.okExitCodes ?? [0]).includes(exitCode ?? -1);
    const refused =
      !accepted &&
      !outcome.timedOut &&
      !outcome.cancelled &&
      exitCode !== null &&
      options.refusedWhen?.(diagnostics) === true;
    this.emit({
      type: "run_end",
      operation,
      result: refused ? "refused" : runResult(outcome, accepted),
      exitCode,
      durationMs,
      cpuMs,
    });
    const stderr = settings.redactor.redactText(outcome.stderr);
    if (stderr.trim()) this.emit({ type: "stderr", text: stderr });
    if (outcome.timedOut) throw new TerraformTimeoutError(operation, settings.dir, settings.timeoutMs);
    if (outcome.cancelled) throw new TerraformCancelledError(operation, settings.dir);
    const stdout = options.stream ? "" : await readFile(outcome.stdoutFile, "utf8");
    if (!accepted && !refused) {
      throw errorFromDiagnostics(operation, settings.dir, diagnostics, exitCode, stderr);
    }
    return { outcome, events, diagnostics, stdout, refused };
  }

  /** The CLI config (provider mirror) this directory's runs use. */
  cliConfig() {
    const { settings } = this;
    return prepareCliConfig({
      runnerDir: settings.runnerDir,
      providerMirror: settings.providerMirror,
      env: settings.baseEnv,
      binary: settings.binary,
    });
  }

  emit(event: TerraformEvent): void {
    this.settings.onEvent?.(event);
  }

  private async childEnv(): Promise<Record<string, string>> {
    const env: Record<string, string> = {
      ...this.settings.baseEnv,
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
}

function runResult(outcome: ProcessOutcome, accepted: boolean): RunResult {
  if (outcome.timedOut) return "timeout";
  if (outcome.cancelled) return "cancelled";
  return accepted ? "success" : "error";
}

export function statsOf(outcome: ProcessOutcome): RunStats {
  return { durationMs: outcome.durationMs, cpuMs: outcome.cpuMs };
}
