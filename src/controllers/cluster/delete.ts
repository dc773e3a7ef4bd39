import { instanceAddress } from "../../../stacks/index.js";
import { ON_DELETE_ANNOTATION } from "../../api/annotations.js";
import { EventReason } from "../../api/event-reasons.js";
import type { Machine } from "../../api/machine.js";
import { ClusterTerraform } from "../../converge/cluster-terraform.js";
import type { ConvergeOptions } from "../../converge/options.js";
import type { RunLimit } from "../../converge/run-limit.js";
import { hasFinalizer } from "../../util/objects.js";
import { removeAppliedRecord } from "./applied-record.js";
import { destroyVariables } from "./destroy-variables.js";
import { removeFinalizer } from "./finalizers.js";
import { CLUSTER_FINALIZER, MACHINE_FINALIZER, ORPHANED_MESSAGE } from "./names.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

const PROVIDERS = ["aws", "vsphere"] as const;

export interface DeleteContext {
  store: ClusterStore;
  converge: ConvergeOptions;
  /** The controller's bound on Terraform runs: a destroy costs what an apply does (~0.8 GB). */
  runLimit: RunLimit;
  signal?: AbortSignal;
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
  const terraform = new ClusterTerraform(scope.key, context.converge, await destroyVariables(scope.workDir));
  if (await terraform.mayHoldResources()) {
    const signal = context.signal ? { signal: context.signal } : {};
    const result = await context.runLimit(async () => {
      await forgetOrphans(context, scope, terraform);
      await store.event(
        scope.cluster,
        "Normal",
        EventReason.DestroyStarted,
        "destroying the cluster's stack",
      );
      return terraform.destroy(signal);
    });
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
  terraform: ClusterTerraform,
): Promise<void> {
  const orphans = scope.machines.filter((m) => m.metadata.annotations?.[ON_DELETE_ANNOTATION] === "orphan");
  // The provider of an invalid Cluster may be unknown: whichever address the state holds is the instance.
  const addressesOf = (machine: Machine) =>
    PROVIDERS.map((provider) => instanceAddress(provider, machine.metadata.name ?? ""));
  const forgotten = new Set(
    await terraform.forget(orphans.flatMap(addressesOf), context.signal ? { signal: context.signal } : {}),
  );
  for (const machine of orphans) {
    if (!addressesOf(machine).some((address) => forgotten.has(address))) continue;
    await context.store.event(machine, "Normal", EventReason.InstanceOrphaned, ORPHANED_MESSAGE);
  }
}
