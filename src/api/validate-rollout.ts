import type { PathError } from "./field-path.js";
import type { MachineDeployment } from "./machine-set.js";

// A MachineDeployment's rollout settings, by Kubernetes' Deployment rules.

const PERCENT = /^(0|[1-9][0-9]*)%$/;
const BASE = "spec.strategy.rollingUpdate";

type IntOrPercent = { ok: true; zero: boolean } | { ok: false; message: string };

function parseIntOrPercent(value: number | string): IntOrPercent {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0)
      return { ok: false, message: 'must be a non-negative integer or a percentage such as "25%"' };
    return { ok: true, zero: value === 0 };
  }
  if (!PERCENT.test(value))
    return { ok: false, message: `"${value}" must be a non-negative integer or a percentage such as "25%"` };
  const percent = Number(value.slice(0, -1));
  if (percent > 100) return { ok: false, message: `"${value}" must not be over 100%` };
  return { ok: true, zero: percent === 0 };
}

export function checkRollout(deployment: MachineDeployment): PathError[] {
  const problems: PathError[] = [];
  const rolling = deployment.spec.strategy?.rollingUpdate;
  const parsed: Partial<Record<"maxSurge" | "maxUnavailable", IntOrPercent>> = {};
  for (const field of ["maxSurge", "maxUnavailable"] as const) {
    const value = rolling?.[field];
    if (value === undefined) continue;
    const result = parseIntOrPercent(value);
    parsed[field] = result;
    if (!result.ok) problems.push({ path: `${BASE}.${field}`, message: result.message });
  }
  const surge = parsed.maxSurge;
  const unavailable = parsed.maxUnavailable;
  // Defaults: maxSurge 1, maxUnavailable 0 (docs/api.md).
  const surgeZero = surge?.ok ? surge.zero : false;
  const unavailableZero = unavailable?.ok ? unavailable.zero : true;
  if (surgeZero && unavailableZero) {
    problems.push({
      path: `${BASE}.maxUnavailable`,
      message: "must not be 0 when maxSurge is 0: the rollout could never replace a Machine",
    });
  }
  const { progressDeadlineSeconds, minReadySeconds } = deployment.spec;
  if (progressDeadlineSeconds !== undefined && progressDeadlineSeconds <= (minReadySeconds ?? 0)) {
    problems.push({
      path: "spec.progressDeadlineSeconds",
      message: `must be greater than minReadySeconds (${minReadySeconds ?? 0})`,
    });
  }
  return problems;
}
