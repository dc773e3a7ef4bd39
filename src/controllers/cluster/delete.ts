import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { instanceAddress } from "../../../stacks/adoption.js";
import { LOCAL_STATE_PATH } from "../../../stacks/index.js";
import { ON_DELETE_ANNOTATION } from "../../api/annotations.js";
import type { Machine } from "../../api/machine.js";
import type { ConvergeOptions } from "../../converge/options.js";
import { TerraformWorkspace } from "../../terraform/workspace.js";
import { hasFinalizer } from "../../util/objects.js";
import { removeAppliedRecord } from "./applied-record.js";
import { removeFinalizer } from "./finalizers.js";
import { CLUSTER_FINALIZER, EventReason, MACHINE_FINALIZER, ORPHANED_MESSAGE } from "./names.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

const PROVIDERS = ["aws", "vsphere"] as const;

export interface DeleteContext {
  store: ClusterStore;
  converge: ConvergeOptions;
  signal?: AbortSignal;
}

/**
 * Whether anything may exist in the cloud for this cluster: resources in the
 * local state of its working directory. With a remote backend (s3,
 * kubernetes) the state lives elsewhere: Terraform is asked (its destroy plan
 * finds nothing when the state is empty).
 */
export async function hasTerraformState(workDir: string): Promise<boolean> {
  if (await usesRemoteBackend(workDir)) return true;
  const text = await readFile(join(workDir, LOCAL_STATE_PATH), "utf8").catch(() => undefined);
  if (text === undefined) return false;
  try {
    const resources = (JSON.parse(text) as { resources?: unknown[] }).resources;
    return !Array.isArray(resources) || resources.length > 0;
  } catch {
    // Unreadable state: let Terraform decide, never assume nothing exists.
    return true;
  }
}

async function usesRemoteBackend(workDir: string): Promise<boolean> {
  const text = await readFile(join(workDir, "cdk.tf.json"), "utf8").catch(() => undefined);
  if (text === undefined) return false;
  try {
    const backend = (JSON.parse(text) as { terraform?: { backend?: Record<string, unknown> } }).terraform
      ?.backend;
    return Object.keys(backend ?? {}).some((type) => type !== "local");
  } catch {
    return true;
  }
}

/**
 * The Cluster is being deleted: destroy the whole stack (Terraform orders
 * instances before the network), then let go of its Machines and itself. If
 * the destroy fails, every finalizer stays: the objects remain to show the
 * error rather than leaving cloud resources nobody can see. Instances of
 * Machines annotated `clusterform.io/on-delete: orphan` are forgotten first
 * (`state rm`), never destroyed. True when the finalizers were released (the
 * objects may be gone now).
 */
export async function deleteCluster(context: DeleteContext, scope: ClusterScope): Promise<boolean> {
  const { store } = context;
  if (!hasFinalizer(scope.cluster, CLUSTER_FINALIZER)) return false;
  await store.deleteDescendants(scope.key.namespace, scope.key.name);
  // Deleting them moved their resourceVersions: the finalizer writes below need the new ones.
  scope.machines = await store.listMachines(scope.key.namespace, scope.key.name);
  if (await hasTerraformState(scope.workDir)) {
    const workspace = workspaceFor(context.converge, scope);
    const signal = context.signal ? { signal: context.signal } : {};
    await forgetOrphans(context, scope, workspace);
    await store.event(scope.cluster, "Normal", EventReason.DestroyStarted, "destroying the cluster's stack");
    const result = await workspace.destroy(signal);
    const destroyed = result.apply?.applied.destroy ?? 0;
    await store.event(
      scope.cluster,
      "Normal",
      EventReason.DestroyFinished,
      `destroyed ${destroyed} resource${destroyed === 1 ? "" : "s"}`,
    );
  }
  await removeAppliedRecord(scope.workDir);
  for (const machine of scope.machines) {
    if (hasFinalizer(machine, MACHINE_FINALIZER)) await removeFinalizer(store, machine);
  }
  await removeFinalizer(store, scope.cluster);
  return true;
}

/** Orphan-annotated Machines keep their instances: Terraform forgets them before the destroy. */
async function forgetOrphans(
  context: DeleteContext,
  scope: ClusterScope,
  workspace: TerraformWorkspace,
): Promise<void> {
  const orphans = scope.machines.filter((m) => m.metadata.annotations?.[ON_DELETE_ANNOTATION] === "orphan");
  // The provider of an invalid Cluster may be unknown: whichever address the state holds is the instance.
  const addressesOf = (machine: Machine) =>
    PROVIDERS.map((provider) => instanceAddress(provider, machine.metadata.name ?? ""));
  const forgotten = new Set(
    await workspace.forget(orphans.flatMap(addressesOf), context.signal ? { signal: context.signal } : {}),
  );
  for (const machine of orphans) {
    if (!addressesOf(machine).some((address) => forgotten.has(address))) continue;
    await context.store.event(machine, "Normal", EventReason.InstanceOrphaned, ORPHANED_MESSAGE);
  }
}

/** The same working directory and settings ClusterRun uses, without a model (an invalid cluster can still be destroyed). */
export function workspaceFor(converge: ConvergeOptions, scope: ClusterScope): TerraformWorkspace {
  return new TerraformWorkspace({
    dir: scope.workDir,
    onEvent: (event) => converge.onEvent?.(scope.key, event),
    ...(converge.terraformBin ? { binary: converge.terraformBin } : {}),
    ...(converge.env ? { env: converge.env } : {}),
    ...(converge.providerMirror ? { providerMirror: converge.providerMirror } : {}),
    ...(converge.timeoutMs ? { timeoutMs: converge.timeoutMs } : {}),
    ...(converge.backendCredentials ? { backendCredentials: converge.backendCredentials } : {}),
  });
}
