import { clusterNameOf } from "../api/cluster-label.js";
import type { FieldError } from "../api/field-error.js";
import { errorAt, identify } from "../api/field-error.js";
import type { Machine } from "../api/machine.js";
import type { MachineDeployment, MachineSet } from "../api/machine-set.js";
import { API_VERSION, CLUSTER_NAME_LABEL } from "../api/meta.js";
import { rememberSource, sourceOf } from "../api/source.js";

export type MachineOwner = MachineSet | MachineDeployment;

export interface ExpandInput {
  /** Machines written out in the manifests: expanded names must not clash with them. */
  machines: readonly unknown[];
  machineSets: readonly MachineSet[];
  machineDeployments: readonly MachineDeployment[];
}

export interface Expanded {
  /** Only the Machines expanded from MachineSets and MachineDeployments. */
  machines: Machine[];
  /** Name clashes, on the owner whose Machine clashed. */
  errors: FieldError[];
}

/**
 * File mode (no API server): every MachineSet and MachineDeployment becomes
 * its Machines here, the way the controllers would create them. Owners are
 * taken in kind-then-name order so the result never depends on file order.
 */
export function expandMachines(input: ExpandInput): Expanded {
  const taken = new Map<string, string>();
  for (const machine of input.machines) taken.set(machineKey(machine), describe(machine));
  const result: Expanded = { machines: [], errors: [] };
  for (const owner of [...sortByName(input.machineSets), ...sortByName(input.machineDeployments)]) {
    const machines = machinesOf(owner);
    const clash = machines.find((machine) => taken.has(machineKey(machine)));
    if (clash) {
      const message = `its Machine ${clash.metadata.name} clashes with ${taken.get(machineKey(clash))}: rename one of them`;
      result.errors.push(errorAt(owner, "metadata.name", message));
      continue;
    }
    for (const machine of machines) taken.set(machineKey(machine), `the Machine of ${describe(owner)}`);
    result.machines.push(...machines);
  }
  return result;
}

/**
 * The Machines one owner stands for: `<owner>-<index>` (index from 0), the
 * template's labels plus the cluster label, the template's spec. A
 * MachineDeployment expands straight into Machines (no MachineSet between).
 */
export function machinesOf(owner: MachineOwner): Machine[] {
  const cluster = clusterNameOf(owner);
  const template = owner.spec.template;
  if (!("name" in cluster) || template?.spec === undefined) return [];
  const namespace = owner.metadata.namespace;
  const annotations = template.metadata?.annotations;
  const source = sourceOf(owner);
  return Array.from({ length: owner.spec.replicas ?? 1 }, (_, index) => {
    const machine: Machine = {
      apiVersion: API_VERSION,
      kind: "Machine",
      metadata: {
        name: `${owner.metadata.name}-${index}`,
        ...(namespace ? { namespace } : {}),
        labels: { ...template.metadata?.labels, [CLUSTER_NAME_LABEL]: cluster.name },
        ...(annotations ? { annotations: { ...annotations } } : {}),
      },
      spec: structuredClone(template.spec as Machine["spec"]),
    };
    if (source) rememberSource(machine, source);
    return machine;
  });
}

function sortByName<T extends MachineOwner>(owners: readonly T[]): T[] {
  return [...owners].sort((a, b) => compareText(identifyKey(a), identifyKey(b)));
}

function identifyKey(object: unknown): string {
  const { namespace, name } = identify(object);
  return `${namespace}/${name ?? ""}`;
}

function machineKey(machine: unknown): string {
  return identifyKey(machine);
}

function describe(object: unknown): string {
  const { kind, namespace, name } = identify(object);
  const source = sourceOf(object);
  return `${kind} ${namespace}/${name ?? ""}${source ? ` (${source})` : ""}`;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
