import type { Machine } from "../../api/machine.js";
import type { MachineSetSpec } from "../../api/machine-set.js";
import { DELETE_MACHINE_ANNOTATION, isMachineReady } from "../shared/machines.js";

export type DeletePolicy = NonNullable<MachineSetSpec["deletePolicy"]>;

/**
 * How urgently a Machine should go when its set shrinks, lowest first: the
 * delete-machine annotation, then failed Machines, then not-yet-Ready ones,
 * then healthy ones. Only within a rank does the set's deletePolicy decide.
 */
function rank(machine: Machine): number {
  if (machine.metadata.annotations?.[DELETE_MACHINE_ANNOTATION] !== undefined) return 0;
  if (machine.status?.errorReason || machine.status?.errorMessage) return 1;
  if (!isMachineReady(machine)) return 2;
  return 3;
}

function createdAt(machine: Machine): number {
  const time = machine.metadata.creationTimestamp ? Date.parse(machine.metadata.creationTimestamp) : 0;
  return Number.isNaN(time) ? 0 : time;
}

/**
 * The `count` Machines to delete, in order, under `policy` (default Random):
 * Newest removes the most recently created first, Oldest the earliest,
 * Random any; ties on time break by name so the choice is reproducible.
 */
export function machinesToDelete(
  machines: readonly Machine[],
  count: number,
  policy: DeletePolicy = "Random",
  random: () => number = Math.random,
): Machine[] {
  if (count <= 0) return [];
  const keyed = machines.map((machine) => ({
    machine,
    rank: rank(machine),
    time: createdAt(machine),
    dice: random(),
  }));
  keyed.sort((a, b) => {
    if (a.rank !== b.rank) return a.rank - b.rank;
    if (policy === "Newest" && a.time !== b.time) return b.time - a.time;
    if (policy === "Oldest" && a.time !== b.time) return a.time - b.time;
    if (policy === "Random" && a.dice !== b.dice) return a.dice - b.dice;
    return (a.machine.metadata.name ?? "").localeCompare(b.machine.metadata.name ?? "");
  });
  return keyed.slice(0, count).map((entry) => entry.machine);
}
