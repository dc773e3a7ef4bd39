import type { Cluster } from "../api/cluster.js";
import { CLUSTER_LABEL_PATH, clusterNameOf } from "../api/cluster-label.js";
import { errorAt, errorsAt, type FieldError, identify } from "../api/field-error.js";
import { MAX_MACHINES_PER_CLUSTER } from "../api/limits.js";
import type { Machine } from "../api/machine.js";
import type { MachineClass } from "../api/machine-class.js";
import {
  type ClusterProviderSpec,
  checkClusterProviderSpec,
  type ProviderName,
} from "../api/provider-specs.js";
import { findDuplicates, validateObject } from "../api/validate.js";
import { type ConfigMapLike, resolveBackend } from "./backend.js";
import { bootstrapErrors } from "./bootstrap-versions.js";
import { compareText } from "./expand.js";
import { machineAnnotations } from "./machine-annotations.js";
import { checkMachineInCluster } from "./machine-in-cluster.js";
import { MachineClassIndex, resolveProviderSpec } from "./resolve-class.js";
import type { BackendSettings, ClusterModel, MachineModel } from "./types.js";

export interface ModelInput {
  clusters: Cluster[];
  machines: Machine[];
  machineClasses: MachineClass[];
  /** ConfigMaps a Cluster's `clusterform.io/backend-config` may name (absent: none exist). */
  configMaps?: ConfigMapLike[];
  /** Init machines recorded outside the Cluster ("namespace/name" -> Machine; file mode's record). */
  initMachines?: ReadonlyMap<string, string>;
  /** Backend of Clusters without the clusterform.io/backend annotation (default local). */
  defaultBackend?: "local" | "kubernetes";
}

export interface InvalidCluster {
  namespace: string;
  name: string;
  errors: FieldError[];
}

export interface BuildResult {
  /** Valid clusters, sorted by namespace/name, machines sorted by name. */
  models: ClusterModel[];
  /** Clusters whose own objects (Cluster, Machines, their classes) have errors. */
  invalid: InvalidCluster[];
  /** Errors tied to no Cluster: nameless objects, Machines without a (known) cluster label. */
  errors: FieldError[];
}

/** Defaults for an unset clusterNetwork (the kube-apiserver's and kubelet's own). */
export const DEFAULT_SERVICE_CIDRS = ["10.96.0.0/12"];
export const DEFAULT_SERVICE_DOMAIN = "cluster.local";

interface ClusterEntry {
  cluster: Cluster;
  errors: FieldError[];
  provider?: ProviderName;
  spec?: ClusterProviderSpec;
  backend?: BackendSettings;
  machines: MachineModel[];
}

/**
 * Turns Clusters, Machines and MachineClasses into one model per Cluster. The
 * same function serves file mode (after expandMachines) and the controllers
 * (with the API server's Machines). Every object is validated here again, so
 * untrusted input is fine; an error in one Cluster's objects makes that
 * Cluster invalid and never blocks another.
 */
export function buildModels(input: ModelInput): BuildResult {
  const duplicates = findDuplicates([...input.clusters, ...input.machines, ...input.machineClasses]);
  const clusters = new Map<string, ClusterEntry>();
  const errors: FieldError[] = [];
  for (const cluster of input.clusters) addCluster(cluster, clusters, duplicates, errors, input);
  const classes = new MachineClassIndex(input.machineClasses);
  for (const machine of input.machines) addMachine(machine, clusters, classes, duplicates, errors);
  return finish(clusters, errors, input.initMachines);
}

function addCluster(
  cluster: Cluster,
  clusters: Map<string, ClusterEntry>,
  duplicates: Map<object, FieldError>,
  errors: FieldError[],
  input: ModelInput,
): void {
  const { namespace, name } = identify(cluster);
  const problems = validateObject(cluster);
  if (name === undefined) {
    errors.push(...problems);
    return;
  }
  const key = `${namespace}/${name}`;
  const duplicate = duplicates.get(cluster);
  const existing = clusters.get(key);
  if (duplicate && existing) {
    existing.errors.push(duplicate);
    return;
  }
  const entry: ClusterEntry = { cluster, errors: problems, machines: [] };
  if (problems.length === 0) {
    const checked = checkClusterProviderSpec(cluster.spec.providerSpec?.value, "spec.providerSpec.value");
    if (checked.ok) Object.assign(entry, { provider: checked.provider, spec: checked.spec });
    const region =
      checked.ok && checked.provider === "aws" ? (checked.spec as { region: string }).region : undefined;
    const backend = resolveBackend(cluster, input.configMaps ?? [], region, input.defaultBackend);
    if (backend.ok) entry.backend = backend.backend;
    else entry.errors.push(...backend.errors);
  }
  clusters.set(key, entry);
}

function addMachine(
  machine: Machine,
  clusters: Map<string, ClusterEntry>,
  classes: MachineClassIndex,
  duplicates: Map<object, FieldError>,
  errors: FieldError[],
): void {
  const { namespace, name } = identify(machine);
  const problems = validateObject(machine);
  const owner = clusterNameOf(machine);
  const clusterName = "name" in owner ? `${namespace}/${owner.name}` : undefined;
  const entry = clusterName ? clusters.get(clusterName) : undefined;
  if (!entry || name === undefined) {
    if (clusterName && !entry)
      errors.push(errorAt(machine, CLUSTER_LABEL_PATH, `Cluster ${clusterName} not found`));
    errors.push(...problems);
    return;
  }
  const duplicate = duplicates.get(machine);
  if (duplicate) problems.push(duplicate);
  if (problems.length) {
    entry.errors.push(...problems);
    return;
  }
  const resolved = resolveProviderSpec(machine, classes);
  if (!resolved.ok) {
    entry.errors.push(...resolved.errors);
    return;
  }
  if (entry.provider !== undefined && resolved.provider !== entry.provider) {
    const holder = resolved.machineClass ? `MachineClass ${resolved.machineClass} holds` : "is";
    const message = `${holder} a ${resolved.provider} provider spec, but Cluster ${clusterName} uses ${entry.provider}`;
    entry.errors.push(errorAt(machine, resolved.path, message));
    return;
  }
  const placement =
    entry.provider !== undefined && entry.spec !== undefined
      ? checkMachineInCluster(entry.provider, entry.spec, resolved.spec, resolved.path)
      : [];
  if (placement.length) {
    entry.errors.push(...errorsAt(machine, placement));
    return;
  }
  const annotations = machineAnnotations(machine, resolved.provider);
  if (!annotations.ok) {
    entry.errors.push(...annotations.errors);
    return;
  }
  entry.machines.push({
    ...annotations.settings,
    namespace,
    name,
    role: machine.spec.versions?.controlPlane ? "control-plane" : "node",
    machine,
    providerSpec: resolved.spec,
    ...(resolved.machineClass ? { machineClass: resolved.machineClass } : {}),
  });
}

function finish(
  clusters: Map<string, ClusterEntry>,
  errors: FieldError[],
  initMachines: ReadonlyMap<string, string> = new Map(),
): BuildResult {
  const result: BuildResult = { models: [], invalid: [], errors };
  const keys = [...clusters.keys()].sort(compareText);
  for (const key of keys) {
    const entry = clusters.get(key) as ClusterEntry;
    if (entry.machines.length > MAX_MACHINES_PER_CLUSTER) {
      const message = `has ${entry.machines.length} Machines: at most ${MAX_MACHINES_PER_CLUSTER} per Cluster (one Terraform state); scale a MachineSet or MachineDeployment down`;
      entry.errors.push(errorAt(entry.cluster, "metadata.name", message));
    }
    if (entry.errors.length === 0)
      entry.errors.push(...bootstrapErrors(entry.cluster, entry.machines, initMachines.get(key)));
    const { namespace, name } = identify(entry.cluster);
    if (entry.errors.length || !entry.provider || !entry.spec) {
      result.invalid.push({ namespace, name: name as string, errors: entry.errors });
    } else {
      result.models.push(toModel(entry, namespace, name as string));
    }
  }
  return result;
}

function toModel(entry: ClusterEntry, namespace: string, name: string): ClusterModel {
  const clusterNetwork = entry.cluster.spec.clusterNetwork;
  const services = clusterNetwork?.services?.cidrBlocks ?? [];
  const base = {
    namespace,
    name,
    cluster: entry.cluster,
    network: {
      serviceCidrs: services.length ? [...services] : [...DEFAULT_SERVICE_CIDRS],
      podCidrs: [...(clusterNetwork?.pods?.cidrBlocks ?? [])],
      serviceDomain: clusterNetwork?.serviceDomain || DEFAULT_SERVICE_DOMAIN,
    },
  };
  const machines = [...entry.machines].sort((a, b) => compareText(a.name, b.name));
  // A local backend is the default: leave it unset so models (and stacks) stay as they were.
  const backend = entry.backend && entry.backend.type !== "local" ? { backend: entry.backend } : {};
  return { ...base, ...backend, provider: entry.provider, spec: entry.spec, machines } as ClusterModel;
}
