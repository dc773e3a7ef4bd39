import { MACHINES_OUTPUT } from "../../stacks/index.js";
import type { LostInstance } from "./observations.js";
import type { RawOutput } from "./outputs.js";

export const TERMINATED_STATE = "terminated";

/**
 * The outputs as the last apply recorded them, corrected by what the drift
 * check saw since: each lost instance's state reads "terminated". Statuses
 * are then derived as for any instance that is not running (phase
 * Provisioned, the Cluster's Ready naming the Machine). Only an entry that
 * still names the lost instance is touched: once an apply recorded a new
 * one, the Machine is itself again.
 */
export function withInstancesTerminated(
  outputs: Record<string, RawOutput>,
  lost: ReadonlyMap<string, LostInstance>,
): Record<string, RawOutput> {
  const machines = outputs[MACHINES_OUTPUT]?.value;
  if (lost.size === 0 || !isRecord(machines)) return outputs;
  const marked: Record<string, unknown> = { ...machines };
  for (const [name, { instanceId }] of lost) {
    const entry = machines[name];
    if (isRecord(entry) && instanceIdOf(entry) === instanceId)
      marked[name] = { ...entry, state: TERMINATED_STATE };
  }
  return { ...outputs, [MACHINES_OUTPUT]: { ...outputs[MACHINES_OUTPUT], value: marked } };
}

/** The id an output entry gives its instance: `instance_id` (AWS) or `uuid` (vSphere). */
function instanceIdOf(entry: Record<string, unknown>): unknown {
  return entry.instance_id ?? entry.uuid;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
