import type { PlanSummary } from "../terraform/types.js";

/** Per-Cluster choice of what happens to a plan with changes. */
export const APPLY_POLICY_ANNOTATION = "clusterform.io/apply-policy";

export const APPLY_POLICIES = ["auto", "auto-additive", "manual", "plan-only"] as const;
export type ApplyPolicy = (typeof APPLY_POLICIES)[number];

export const DEFAULT_APPLY_POLICY: ApplyPolicy = "auto";

export interface ResolvedPolicy {
  policy: ApplyPolicy;
  /** Set when the annotation held something unknown: the plan is held and this says why. */
  problem?: string;
}

export function isApplyPolicy(value: string): value is ApplyPolicy {
  return (APPLY_POLICIES as readonly string[]).includes(value);
}

/**
 * The Cluster's policy: its annotation, else the controller default. An
 * unknown value holds plans (`manual`) rather than guessing: a typo must not
 * let changes through.
 */
export function resolveApplyPolicy(
  annotations: Record<string, string> | undefined,
  controllerDefault: ApplyPolicy = DEFAULT_APPLY_POLICY,
): ResolvedPolicy {
  const raw = annotations?.[APPLY_POLICY_ANNOTATION]?.trim();
  if (raw === undefined || raw === "") return { policy: controllerDefault };
  if (isApplyPolicy(raw)) return { policy: raw };
  return {
    policy: "manual",
    problem: `annotation ${APPLY_POLICY_ANNOTATION}="${raw}" is not one of ${APPLY_POLICIES.join(", ")}; plans are held until it is fixed`,
  };
}

/** What to do with a plan: apply it, hold it for approval, or nothing (no changes, or plan-only). */
export type GateAction = "apply" | "hold" | "none";

export interface GateDecision {
  action: GateAction;
  reason: string;
}

/** Planned changes that remove something: held by `auto-additive`. */
export function destructiveChanges(summary: PlanSummary): string[] {
  return summary.changes
    .filter((c) => c.action === "delete" || c.action === "replace" || c.action === "forget")
    .map((c) => `${c.address} (${c.action})`);
}

/** The policy's verdict on a fresh plan (approval is decided separately, see approval.ts). */
export function decideByPolicy(resolved: ResolvedPolicy, summary: PlanSummary): GateDecision {
  if (!summary.hasChanges) return { action: "none", reason: "the plan has no changes" };
  if (resolved.problem) return { action: "hold", reason: resolved.problem };
  switch (resolved.policy) {
    case "auto":
      return { action: "apply", reason: "apply policy auto applies every plan" };
    case "plan-only":
      return { action: "none", reason: "apply policy plan-only never applies (the plan is kept for review)" };
    case "manual":
      return { action: "hold", reason: "apply policy manual holds every plan with changes for approval" };
    case "auto-additive": {
      const destructive = destructiveChanges(summary);
      if (summary.destroy === 0 && summary.replace === 0 && destructive.length === 0) {
        return {
          action: "apply",
          reason: "apply policy auto-additive applies plans that only create or update",
        };
      }
      return {
        action: "hold",
        reason: `apply policy auto-additive holds plans that delete or replace: ${listSome(destructive)}`,
      };
    }
  }
}

/** At most `max` items then "and N more", so messages stay short. */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}
