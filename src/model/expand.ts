import { clusterNameOf } from "../api/cluster-label.js";
import type { FieldError } from "../api/field-error.js";
import { errorAt, identify } from "../api/field-error.js";
import { MAX_LABEL_LENGTH, MAX_REPLICAS } from "../api/limits.js";
import type { Machine } from "../api/machine.js";
import type { MachineDeployment, MachineSet } from "../api/machine-set.js";
import { API_VERSION, CLUSTER_NAME_LABEL } from "../api/meta.js";
import { checkDns1123Subdomain } from "../api/names.js";
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
  const setKeys = new Set(input.machineSets.map(identifyKey));
  const result: Expanded = { machines: [], errors: [] };
  for (const owner of [...sortByName(input.machineSets), ...sortByName(input.machineDeployments)]) {
    const qualify = owner.kind === "MachineDeployment" && setKeys.has(identifyKey(owner));
    const nameProblem = checkExpandedNames(owner, qualify);
    if (nameProblem) {
      result.errors.push(errorAt(owner, nameProblem.path, nameProblem.message));
      continue;
    }
    const machines = machinesOf(owner, { qualify });
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

/** `<owner>-<index>`; `<owner>-md-<index>` for a MachineDeployment that shares its name with a MachineSet. */
export function expandedMachineName(ownerName: string, index: number, qualify = false): string {
  return qualify ? `${ownerName}-md-${index}` : `${ownerName}-${index}`;
}

/**
 * The replica count and the longest expanded name, checked before a single
 * Machine is allocated: every name must be a valid object name whose last
 * DNS label still fits in 63 characters (Machine names become host names).
 */
function checkExpandedNames(
  owner: MachineOwner,
  qualify: boolean,
): { path: string; message: string } | undefined {
  const replicas = owner.spec.replicas ?? 1;
  if (!Number.isSafeInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS) {
    return { path: "spec.replicas", message: `must be an integer from 0 to ${MAX_REPLICAS}` };
  }
  if (replicas === 0) return undefined;
  const longest = expandedMachineName(owner.metadata.name ?? "", replicas - 1, qualify);
  const invalid = checkDns1123Subdomain(longest);
  const lastLabel = longest.slice(longest.lastIndexOf(".") + 1);
  if (invalid === undefined && lastLabel.length <= MAX_LABEL_LENGTH) return undefined;
  return {
    path: "metadata.name",
    message: `too long to name its Machines: ${JSON.stringify(longest.slice(0, 80))}${longest.length > 80 ? "..." : ""} would exceed ${invalid ? "253 characters" : `${MAX_LABEL_LENGTH} characters in its last DNS label`}; shorten the name`,
  };
}

/**
 * The Machines one owner stands for: `<owner>-<index>` (index from 0), the
 * template's labels plus the cluster label, the template's spec. A
 * MachineDeployment expands straight into Machines (no MachineSet between).
 * Never allocates more than MAX_REPLICAS Machines, whatever the input says.
 */
export function machinesOf(owner: MachineOwner, options: { qualify?: boolean } = {}): Machine[] {
  const cluster = clusterNameOf(owner);
  const template = owner.spec.template;
  const replicas = owner.spec.replicas ?? 1;
  if (!("name" in cluster) || template?.spec === undefined) return [];
  if (!Number.isSafeInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS) return [];
  const namespace = owner.metadata.namespace;
  const annotations = template.metadata?.annotations;
  const source = sourceOf(owner);
  return Array.from({ length: replicas }, (_, index) => {
    const machine: Machine = {
      apiVersion: API_VERSION,
      kind: "Machine",
      metadata: {
        name: expandedMachineName(owner.metadata.name ?? "", index, options.qualify),
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
