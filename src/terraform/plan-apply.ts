import { chmod, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { sha256 } from "../util/hash.js";
import { statsOf, type TerraformCommand } from "./command.js";
import { parseOutputJson, registerSensitiveOutputs } from "./outputs.js";
import { readPlannedPriorState } from "./plan-file.js";
import { redactPlanJson } from "./plan-json.js";
import type { ProcessOutcome } from "./process.js";
import type {
  ApplyResult,
  Diagnostic,
  OutputValue,
  PlanOptions,
  PlanResult,
  ShownPlan,
  TerraformUiEvent,
} from "./types.js";
import { summarisePlan } from "./ui-stream.js";

// plan, show, apply and output as Terraform commands; the caller holds the directory lock.

/** `plan -out -json -detailed-exitcode`, summarised from the stream (no `show` run). */
export async function runPlan(
  command: TerraformCommand,
  configFile: string,
  options: PlanOptions,
): Promise<PlanResult> {
  const kind = options.destroy ? "destroy" : options.refreshOnly ? "refresh" : "plan";
  const planFile = resolve(command.settings.dir, options.planFile ?? join(".runner", `${kind}.tfplan`));
  const configBytes = await readFile(configFile);
  const args = ["plan", "-input=false", `-out=${planFile}`, "-json", "-detailed-exitcode"];
  if (options.destroy) args.push("-destroy");
  if (options.refreshOnly) args.push("-refresh-only");
  const { outcome, events, diagnostics } = await command.run("plan", args, {
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

/** The plan for people: `show -json` summarised and `show -no-color`, both redacted. */
export async function runShow(
  command: TerraformCommand,
  planFile: string,
  options: { json: boolean; text: boolean; signal?: AbortSignal | undefined },
): Promise<ShownPlan> {
  const { redactor } = command.settings;
  const shown: ShownPlan = {};
  if (options.json) {
    const { stdout } = await command.run("show", ["show", "-json", planFile], { signal: options.signal });
    shown.json = redactPlanJson(JSON.parse(stdout), redactor);
  }
  if (options.text) {
    const { stdout } = await command.run("show", ["show", "-no-color", planFile], { signal: options.signal });
    shown.text = redactor.redactText(stdout);
  }
  return shown;
}

/**
 * `apply -json [-parallelism=N] <planfile>`; outputs from the stream, or from `output -json` when some are
 * sensitive. `parallelism` undefined keeps Terraform's default (see parallelism.ts).
 */
export async function runApply(
  command: TerraformCommand,
  planFile: string,
  signal?: AbortSignal,
  parallelism?: number,
): Promise<ApplyResult> {
  const args = ["apply", "-input=false", "-json"];
  if (parallelism !== undefined) args.push(`-parallelism=${parallelism}`);
  const { outcome, events, diagnostics } = await command.run("apply", [...args, planFile], {
    signal,
    stream: true,
  });
  return applyResultOf(command, events, diagnostics, outcome, signal);
}

/** An apply's result from its stream: counts, and outputs (from `output -json` when some are sensitive). */
export async function applyResultOf(
  command: TerraformCommand,
  events: readonly TerraformUiEvent[],
  diagnostics: Diagnostic[],
  outcome: ProcessOutcome,
  signal?: AbortSignal,
): Promise<ApplyResult> {
  const summary = findLastOf(events, "change_summary");
  const streamed = findLastOf(events, "outputs");
  const complete = streamed && Object.values(streamed.outputs).every((o) => !o.sensitive && "value" in o);
  const outputs = complete ? fromStream(streamed.outputs) : await runOutputs(command, signal);
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

/** `output -json`. Sensitive values are returned (flagged) and registered with the redactor. */
export async function runOutputs(
  command: TerraformCommand,
  signal?: AbortSignal,
): Promise<Record<string, OutputValue>> {
  const { stdout } = await command.run("output", ["output", "-json"], { signal });
  const outputs = parseOutputJson(stdout);
  registerSensitiveOutputs(outputs, command.settings.redactor);
  return outputs;
}

function fromStream(outputs: Record<string, { value?: unknown; sensitive: boolean; type?: unknown }>) {
  const result: Record<string, OutputValue> = {};
  for (const [name, output] of Object.entries(outputs)) {
    result[name] = { value: output.value, sensitive: output.sensitive, type: output.type };
  }
  return result;
}

function findLastOf<K extends TerraformUiEvent["type"]>(events: readonly TerraformUiEvent[], type: K) {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type === type) return event as Extract<TerraformUiEvent, { type: K }>;
  }
  return undefined;
}
