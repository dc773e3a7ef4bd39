import { CLUSTER_LABEL_PATH, clusterNameOf } from "../api/cluster-label.js";
import { dedupeErrors, errorAt, type FieldError, formatFieldError, identify } from "../api/field-error.js";
import { MAX_MACHINES_PER_CLUSTER } from "../api/limits.js";
import { loadManifests } from "../api/load.js";
import type { MachineDeployment, MachineSet } from "../api/machine-set.js";
import { validateManifests } from "../api/validate.js";
import { isConfigMap } from "./backend.js";
import { type BuildResult, buildModels, type InvalidCluster, type ModelInput } from "./build.js";
import { compareText, expandMachines, type MachineOwner } from "./expand.js";

export interface ManifestModels extends BuildResult {
  /** Every error (load, validation, expansion, model), those of invalid clusters included. */
  allErrors: FieldError[];
}

/** File mode in one call: load -> validate -> expand -> build. */
export async function modelsFromManifests(
  paths: readonly string[],
  options: Pick<ModelInput, "initMachines"> = {},
): Promise<ManifestModels> {
  const loaded = await loadManifests(paths);
  return modelsFromObjects(
    loaded.documents.map((document) => document.object),
    loaded.errors,
    options,
  );
}

/** The same chain for objects already parsed (the loader remembers their sources). */
export function modelsFromObjects(
  objects: readonly unknown[],
  loadErrors: readonly FieldError[] = [],
  options: Pick<ModelInput, "initMachines"> = {},
): ManifestModels {
  // ConfigMaps (backend settings) are the one non-cluster.k8s.io kind file mode reads.
  const configMaps = objects.filter(isConfigMap);
  const validated = validateManifests(objects.filter((object) => !isConfigMap(object)));
  const { objects: valid, rejected } = validated;
  // Rejected Clusters, Machines and MachineClasses still go to buildModels:
  // it finds the same errors again and knows which Cluster each belongs to.
  const rejectedOf = (kind: string) => rejected.map((r) => r.object).filter((o) => identify(o).kind === kind);
  const clusters = [...valid.clusters, ...rejectedOf("Cluster")];
  const clusterKeys = new Set(clusters.map((cluster) => keyOf(identify(cluster))));
  const ownerErrors = rejected
    .filter((r) => isOwner(r.object))
    .map((r) => ({ owner: r.object, errors: r.errors }));
  const owners: MachineOwner[] = [];
  for (const owner of [...valid.machineSets, ...valid.machineDeployments]) {
    const missing = missingCluster(owner, clusterKeys);
    if (missing) ownerErrors.push({ owner, errors: [missing] });
    else owners.push(owner);
  }
  const machines = [...valid.machines, ...rejectedOf("Machine")];
  for (const error of overClusterLimit(owners, machines)) {
    const index = owners.findIndex((owner) => isObjectOf(owner, error));
    ownerErrors.push({ owner: owners[index], errors: [error] });
    owners.splice(index, 1);
  }
  const expanded = expandMachines({
    machines,
    machineSets: owners.filter((owner): owner is MachineSet => owner.kind === "MachineSet"),
    machineDeployments: owners.filter(
      (owner): owner is MachineDeployment => owner.kind === "MachineDeployment",
    ),
  });
  for (const error of expanded.errors) {
    ownerErrors.push({
      owner: owners.find((owner) => isObjectOf(owner, error)),
      errors: [error],
    });
  }
  const input = {
    clusters,
    machines: [...machines, ...expanded.machines],
    machineClasses: [...valid.machineClasses, ...rejectedOf("MachineClass")],
    configMaps,
    ...options,
  } as ModelInput;
  const result = invalidateOwnersClusters(buildModels(input), ownerErrors);
  const allErrors = dedupeErrors([
    ...loadErrors,
    ...validated.errors,
    ...ownerErrors.flatMap((entry) => entry.errors),
    ...result.errors,
    ...result.invalid.flatMap((cluster) => cluster.errors),
  ]);
  const inClusters = new Set(result.invalid.flatMap((cluster) => cluster.errors).map(formatFieldError));
  const errors = allErrors.filter((error) => !inClusters.has(formatFieldError(error)));
  return { ...result, errors, allErrors };
}

/**
 * Counts each Cluster's Machines before expanding any: the written-out ones
 * plus every owner's replicas. Over MAX_MACHINES_PER_CLUSTER, each owner of
 * that Cluster gets an error at spec.replicas and is not expanded.
 */
function overClusterLimit(owners: readonly MachineOwner[], machines: readonly unknown[]): FieldError[] {
  const counts = new Map<string, number>();
  const add = (object: unknown, count: number) => {
    const cluster = clusterNameOf(object);
    if (!("name" in cluster)) return;
    const key = keyOf({ namespace: identify(object).namespace, name: cluster.name });
    counts.set(key, (counts.get(key) ?? 0) + count);
  };
  for (const machine of machines) add(machine, 1);
  for (const owner of owners) add(owner, owner.spec.replicas ?? 1);
  return owners.flatMap((owner) => {
    const cluster = clusterNameOf(owner);
    if (!("name" in cluster)) return [];
    const key = keyOf({ namespace: identify(owner).namespace, name: cluster.name });
    const total = counts.get(key) ?? 0;
    if (total <= MAX_MACHINES_PER_CLUSTER) return [];
    const message = `Cluster ${key} would have ${total} Machines: at most ${MAX_MACHINES_PER_CLUSTER} per Cluster (one Terraform state)`;
    return [errorAt(owner, "spec.replicas", message)];
  });
}

function isObjectOf(object: unknown, error: FieldError): boolean {
  const { kind, namespace, name } = identify(object);
  return kind === error.kind && namespace === error.namespace && name === error.name;
}

function isOwner(object: unknown): boolean {
  const { kind } = identify(object);
  return kind === "MachineSet" || kind === "MachineDeployment";
}

function missingCluster(owner: MachineOwner, clusterKeys: Set<string>): FieldError | undefined {
  const cluster = clusterNameOf(owner);
  const { namespace } = identify(owner);
  if (!("name" in cluster) || clusterKeys.has(keyOf({ namespace, name: cluster.name }))) return undefined;
  return errorAt(owner, CLUSTER_LABEL_PATH, `Cluster ${namespace}/${cluster.name} not found`);
}

/** A MachineSet or MachineDeployment with errors makes its Cluster invalid, as a bad Machine would. */
function invalidateOwnersClusters(
  built: BuildResult,
  ownerErrors: readonly { owner: unknown; errors: FieldError[] }[],
): BuildResult {
  const byCluster = new Map<string, FieldError[]>();
  for (const { owner, errors } of ownerErrors) {
    const cluster = clusterNameOf(owner);
    if (!("name" in cluster)) continue;
    const key = keyOf({ namespace: identify(owner).namespace, name: cluster.name });
    byCluster.set(key, [...(byCluster.get(key) ?? []), ...errors]);
  }
  const invalid: InvalidCluster[] = built.invalid.map((entry) => ({
    ...entry,
    errors: [...entry.errors, ...(byCluster.get(keyOf(entry)) ?? [])],
  }));
  const models = built.models.filter((model) => {
    const errors = byCluster.get(keyOf(model));
    if (errors) invalid.push({ namespace: model.namespace, name: model.name, errors });
    return !errors;
  });
  invalid.sort((a, b) => compareText(keyOf(a), keyOf(b)));
  return { models, invalid, errors: built.errors };
}

function keyOf(object: { namespace: string; name?: string }): string {
  return `${object.namespace}/${object.name ?? ""}`;
}
