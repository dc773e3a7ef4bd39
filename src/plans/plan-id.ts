import { sha256 } from "../util/hash.js";
/**
 * A plan's id names the desired change: the synthesized configuration and the
 * state it was planned against. Nothing time-based goes in, so re-planning the
 * same configuration against the same state gives the same id, and a changed
 * spec or a state written since can never match an old approval.
 */

export const PLAN_ID_LENGTH = 16;

export interface PlanIdInput {
  /** sha256 of the configuration bytes (PlanResult.configHash). */
  configHash: string;
  /** The prior state file's text ("" when there is none yet). */
  priorState: string;
}

export function planId(input: PlanIdInput): string {
  return planIdOf(input.configHash, stateFingerprint(input.priorState));
}

/** The same id from a fingerprint already taken (a remote state is fingerprinted once per pull). */
export function planIdOf(configHash: string, fingerprint: string): string {
  return sha256(`${configHash}\n${fingerprint}`).slice(0, PLAN_ID_LENGTH);
}

/**
 * Terraform bumps `serial` on every state write, and `lineage` names the
 * state's history; together they identify a state without depending on how
 * its bytes happen to be formatted. Anything unparseable falls back to its bytes.
 */
export function stateFingerprint(priorState: string): string {
  if (priorState.trim() === "") return "no-state";
  try {
    const state = JSON.parse(priorState) as { lineage?: unknown; serial?: unknown };
    // A saved plan made without a prior state records an empty one (no lineage): the same as none.
    if (state.lineage === "") return "no-state";
    if (typeof state.lineage === "string" && typeof state.serial === "number") {
      return `lineage=${state.lineage} serial=${state.serial}`;
    }
  } catch {
    // not JSON: the bytes themselves identify it
  }
  return `sha256=${sha256(priorState)}`;
}

/** A plan id as users type it: trimmed, lowercase hex of the right length. */
export function isPlanId(value: string): boolean {
  return new RegExp(`^[0-9a-f]{${PLAN_ID_LENGTH}}$`).test(value);
}
