import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TerraformCommand } from "./command.js";
import { applyResultOf } from "./plan-apply.js";
import type { ApplyResult, Diagnostic, PlanSummary, TerraformUiEvent } from "./types.js";
import { summarisePlan } from "./ui-stream.js";

/**
 * One `apply -auto-approve -json` that plans and applies in the same
 * process, as a bare pipeline does: one provider start instead of two (the
 * CPU gap between `plan -out` + `apply planfile` and a bare apply).
 *
 * It can only create and update. An override file gives every resource of
 * the configuration `lifecycle.prevent_destroy` (Terraform merges an
 * override's lifecycle argument by argument, so `ignore_changes` stays), and
 * Terraform refuses, while planning and before changing anything, a plan
 * that would destroy or replace one of them. A resource missing from the
 * configuration is not covered (Terraform destroys it without asking): the
 * caller runs this only when the state holds no resource the configuration
 * lacks (see src/plans/one-run.ts).
 */

/** Terraform reads `*_override.tf.json` after the configuration and merges it in. */
export const DESTROY_GUARD_FILE = "clusterform_destroy_guard_override.tf.json";

/** Terraform's summary of the error a `prevent_destroy` resource raises when a plan would destroy it. */
const PREVENT_DESTROY_SUMMARY = "Instance cannot be destroyed";

export type DirectApplyResult =
  /** Planned and applied: the plan's summary (from the stream) and the apply's result. */
  | { kind: "applied"; plan: PlanSummary; apply: ApplyResult }
  /** The plan would destroy or replace these addresses: nothing was changed. */
  | { kind: "refused"; plan: PlanSummary; wouldDestroy: string[] };

export async function runDirectApply(
  command: TerraformCommand,
  configFile: string,
  options: { signal?: AbortSignal | undefined; parallelism?: number | undefined },
): Promise<DirectApplyResult> {
  const guardFile = join(command.settings.dir, DESTROY_GUARD_FILE);
  const config = JSON.parse(await readFile(configFile, "utf8")) as unknown;
  await writeFile(guardFile, `${JSON.stringify(destroyGuard(config), null, 2)}\n`, { mode: 0o600 });
  const args = ["apply", "-input=false", "-auto-approve", "-json"];
  if (options.parallelism !== undefined) args.push(`-parallelism=${options.parallelism}`);
  try {
    const { outcome, events, diagnostics, refused } = await command.run("apply", args, {
      signal: options.signal,
      stream: true,
      refusedWhen: onlyDestroyRefusals,
    });
    const { planEvents, applyEvents } = splitPlanFromApply(events);
    const plan = summarisePlan(planEvents, 0);
    plan.hasChanges = plan.changes.length > 0 || Object.values(plan.outputChanges).some((a) => a !== "noop");
    if (refused) {
      const wouldDestroy = plan.changes
        .filter((c) => c.action === "delete" || c.action === "replace")
        .map((c) => c.address);
      return { kind: "refused", plan, wouldDestroy };
    }
    const apply = await applyResultOf(command, applyEvents, diagnostics, outcome, options.signal);
    return { kind: "applied", plan, apply };
  } finally {
    await rm(guardFile, { force: true });
  }
}

/** Removes a guard a crashed run left behind (it would make a later reviewed plan fail on any destroy). */
export async function removeDestroyGuard(dir: string): Promise<void> {
  await rm(join(dir, DESTROY_GUARD_FILE), { force: true });
}

/** The override giving every managed resource of a JSON configuration `prevent_destroy`. */
export function destroyGuard(config: unknown): { resource: Record<string, Record<string, unknown>> } {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const [type, name] of configResourceAddresses(config).map((a) => a.split(".") as [string, string])) {
    resource[type] ??= {};
    resource[type][name] = { lifecycle: { prevent_destroy: true } };
  }
  return { resource };
}

/** `type.name` of every managed resource a JSON configuration (root module, as cdktf writes it) declares. */
export function configResourceAddresses(config: unknown): string[] {
  const resources = (config as { resource?: Record<string, Record<string, unknown>> } | null)?.resource;
  const addresses: string[] = [];
  for (const [type, byName] of Object.entries(resources ?? {}))
    for (const name of Object.keys(byName ?? {})) addresses.push(`${type}.${name}`);
  return addresses.sort();
}

/** Addresses of the managed resources a state (its text) holds; undefined when it is not readable JSON. */
export function stateResourceAddresses(stateText: string): string[] | undefined {
  if (stateText.trim() === "") return [];
  let state: { resources?: { mode?: string; type?: string; name?: string; module?: string }[] };
  try {
    state = JSON.parse(stateText) as typeof state;
  } catch {
    return undefined;
  }
  const addresses = new Set<string>();
  for (const r of state.resources ?? []) {
    if (r.mode === "managed") addresses.add(`${r.module ? `${r.module}.` : ""}${r.type}.${r.name}`);
  }
  return [...addresses].sort();
}

/** Every error is a `prevent_destroy` refusal (any other error is a real failure and is thrown). */
function onlyDestroyRefusals(diagnostics: readonly Diagnostic[]): boolean {
  const errors = diagnostics.filter((d) => d.severity === "error");
  return errors.length > 0 && errors.every((d) => d.summary === PREVENT_DESTROY_SUMMARY);
}

/** The plan's part of an apply stream ends where the first resource operation (or the apply's summary) begins. */
export function splitPlanFromApply(events: readonly TerraformUiEvent[]): {
  planEvents: TerraformUiEvent[];
  applyEvents: TerraformUiEvent[];
} {
  const start = events.findIndex(
    (e) => e.type.startsWith("apply_") || (e.type === "change_summary" && e.operation === "apply"),
  );
  const at = start < 0 ? events.length : start;
  return { planEvents: events.slice(0, at), applyEvents: events.slice(at) };
}
