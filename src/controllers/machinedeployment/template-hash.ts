import { createHash } from "node:crypto";
import type { MachineTemplate } from "../../api/machine-set.js";

/** Label on a MachineDeployment's MachineSets (their selector and template) naming the template they run. */
export const TEMPLATE_HASH_LABEL = "machine-template-hash";

/** JSON with object keys sorted at every level, so equal templates give equal bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, child]) => child !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * A stable 10-character hash of a Machine template (its hash label left
 * out): the same template always maps to the same MachineSet, any change to
 * labels, annotations or spec maps to a new one.
 */
export function templateHash(template: MachineTemplate): string {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[TEMPLATE_HASH_LABEL];
  const normalised = { ...template, metadata: { ...(template.metadata ?? {}), labels } };
  return createHash("sha256").update(canonicalJson(normalised)).digest("hex").slice(0, 10);
}
