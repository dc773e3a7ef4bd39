import type { Redactor } from "./redact.js";
import type { RedactedPlanJson, RedactedResourceChange } from "./types.js";

/**
 * `terraform show -json <planfile>` prints sensitive values in plain text
 * (only flagged by the before_sensitive/after_sensitive masks) and carries the
 * whole configuration and prior state. People get a summary instead: only the
 * changes, with every masked value replaced and known secrets redacted.
 */

export const SENSITIVE = "(sensitive)";

type Json = Record<string, unknown>;

export function redactPlanJson(plan: unknown, redactor: Redactor): RedactedPlanJson {
  const root = asObject(plan);
  const outputChanges: RedactedPlanJson["outputChanges"] = {};
  for (const [name, raw] of Object.entries(asObject(root.output_changes))) {
    const change = asObject(raw);
    outputChanges[name] = {
      actions: asStrings(change.actions),
      before: maskSensitive(change.before, change.before_sensitive),
      after: maskSensitive(change.after, change.after_sensitive),
    };
  }
  return redactor.redact({
    formatVersion: String(root.format_version ?? ""),
    terraformVersion: String(root.terraform_version ?? ""),
    resourceChanges: asArray(root.resource_changes).map(redactResourceChange),
    resourceDrift: asArray(root.resource_drift).map(redactResourceChange),
    outputChanges,
  });
}

function redactResourceChange(raw: unknown): RedactedResourceChange {
  const entry = asObject(raw);
  const change = asObject(entry.change);
  const redacted: RedactedResourceChange = {
    address: String(entry.address ?? ""),
    actions: asStrings(change.actions),
    before: maskSensitive(change.before, change.before_sensitive),
    after: maskSensitive(change.after, change.after_sensitive),
    afterUnknown: change.after_unknown ?? false,
  };
  if (typeof entry.action_reason === "string") redacted.actionReason = entry.action_reason;
  const paths = asArray(change.replace_paths)
    .map(formatPath)
    .filter((path) => path !== "");
  if (paths.length > 0) redacted.replacePaths = paths;
  return redacted;
}

/** A `replace_paths` entry (`["root_block_device", 0, "volume_size"]`) as `root_block_device[0].volume_size`. */
export function formatPath(raw: unknown): string {
  let path = "";
  for (const step of asArray(raw)) {
    if (typeof step === "number") path += `[${step}]`;
    else if (typeof step === "string") path += path === "" ? step : `.${step}`;
  }
  return path;
}

/** Replaces every part of `value` that the mask marks `true` (masks mirror the value's shape). */
export function maskSensitive(value: unknown, mask: unknown): unknown {
  if (mask === true) return value === null || value === undefined ? value : SENSITIVE;
  if (mask === null || typeof mask !== "object") return value;
  if (Array.isArray(value)) {
    const masks = Array.isArray(mask) ? mask : [];
    return value.map((item, index) => maskSensitive(item, masks[index]));
  }
  if (value !== null && typeof value === "object") {
    const masks = mask as Json;
    const copy: Json = {};
    for (const [key, item] of Object.entries(value)) copy[key] = maskSensitive(item, masks[key]);
    return copy;
  }
  return value;
}

function asObject(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asStrings(value: unknown): string[] {
  return asArray(value).filter((item): item is string => typeof item === "string");
}
