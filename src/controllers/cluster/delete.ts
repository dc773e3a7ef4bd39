import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LOCAL_STATE_PATH } from "../../../stacks/index.js";
import type { ConvergeOptions } from "../../converge/options.js";
import { TerraformWorkspace } from "../../terraform/workspace.js";
import { removeAppliedRecord } from "./applied-record.js";
import { hasFinalizer, removeFinalizer } from "./finalizers.js";
import { CLUSTER_FINALIZER, EventReason, MACHINE_FINALIZER } from "./names.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

export interface DeleteContext {
  store: ClusterStore;
  converge: ConvergeOptions;
  signal?: AbortSignal;
}

/** Whether anything may exist in the cloud for this cluster: resources in the state of its working directory. */
export async function hasTerraformState(workDir: string): Promise<boolean> {
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

/**
 * The Cluster is being deleted: destroy the whole stack (Terraform orders
 * instances before the network), then let go of its Machines and itself. If
 * the destroy fails, every finalizer stays: the objects remain to show the
 * error rather than leaving cloud resources nobody can see. True when the
 * finalizers were released (the objects may be gone now).
 */
export async function deleteCluster(context: DeleteContext, scope: ClusterScope): Promise<boolean> {
  const { store } = context;
  if (!hasFinalizer(scope.cluster, CLUSTER_FINALIZER)) return false;
  await store.deleteDescendants(scope.key.namespace, scope.key.name);
  // Deleting them moved their resourceVersions: the finalizer writes below need the new ones.
  scope.machines = await store.listMachines(scope.key.namespace, scope.key.name);
  if (await hasTerraformState(scope.workDir)) {
    await store.event(scope.cluster, "Normal", EventReason.DestroyStarted, "destroying the cluster's stack");
    const result = await workspaceFor(context.converge, scope).destroy(
      context.signal ? { signal: context.signal } : {},
    );
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

/** The same working directory and settings ClusterRun uses, without a model (an invalid cluster can still be destroyed). */
export function workspaceFor(converge: ConvergeOptions, scope: ClusterScope): TerraformWorkspace {
  return new TerraformWorkspace({
    dir: scope.workDir,
    onEvent: (event) => converge.onEvent?.(scope.key, event),
    ...(converge.terraformBin ? { binary: converge.terraformBin } : {}),
    ...(converge.env ? { env: converge.env } : {}),
    ...(converge.providerMirror ? { providerMirror: converge.providerMirror } : {}),
    ...(converge.timeoutMs ? { timeoutMs: converge.timeoutMs } : {}),
  });
}
