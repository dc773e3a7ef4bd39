import type { Machine } from "../../api/machine.js";
import { hasFinalizer, isDeleting } from "../../util/objects.js";
import { writeEach } from "../shared/bounded-writes.js";
import { appliedAsConfigured } from "./applied-record.js";
import { CLUSTER_FINALIZER, MACHINE_FINALIZER } from "./names.js";
import { type ClusterKey, type ClusterScope, loadScope } from "./scope.js";
import type { ClusterApiObject, ClusterStore } from "./store.js";

function finalizerOf(object: ClusterApiObject): string {
  return object.kind === "Cluster" ? CLUSTER_FINALIZER : MACHINE_FINALIZER;
}

/**
 * Objects that still need our finalizer: added before any Terraform run, so
 * nothing can be deleted without the reconciler seeing it first. Objects
 * already being deleted never get one (the API server refuses it anyway).
 */
export function objectsMissingFinalizer(scope: ClusterScope): ClusterApiObject[] {
  const objects: ClusterApiObject[] = [scope.cluster, ...scope.machines];
  return objects.filter((o) => !isDeleting(o) && !hasFinalizer(o, finalizerOf(o)));
}

/** Deleting Machines still held by our finalizer: released once a converged stack no longer has them. */
export function machinesAwaitingRelease(scope: ClusterScope): Machine[] {
  return scope.machines.filter((m) => isDeleting(m) && hasFinalizer(m, MACHINE_FINALIZER));
}

/**
 * The deleting Machines whose finalizer may go now: the last apply left the
 * state exactly as `configHash` (a configuration without them) describes, so
 * their instances are destroyed (or forgotten, for orphans). Nothing after an
 * apply that began and did not finish: it may have created their instances
 * (docs/controllers.md, "An instance nobody asked for").
 */
export function machinesToRelease(scope: ClusterScope, configHash: string): Machine[] {
  return appliedAsConfigured(scope.applied, configHash) ? machinesAwaitingRelease(scope) : [];
}

export async function addFinalizers(
  store: ClusterStore,
  objects: readonly ClusterApiObject[],
): Promise<void> {
  await writeEach(objects, (object) => store.addFinalizer(object, finalizerOf(object)));
}

export async function removeFinalizer(store: ClusterStore, object: ClusterApiObject): Promise<void> {
  const finalizer = finalizerOf(object);
  if (hasFinalizer(object, finalizer)) await store.removeFinalizer(object, finalizer);
}

/**
 * The scope, with our finalizers on every object not being deleted. Objects
 * that lacked one get it and the scope is read again, so the same pass goes
 * on: waiting for our own write's watch event would cost a settle period
 * before every new cluster's first plan. An object still without one (created
 * meanwhile) ends the pass: its own event brings the key back.
 */
export async function loadScopeWithFinalizers(
  store: ClusterStore,
  key: ClusterKey,
  stateDir: string,
): Promise<ClusterScope | "finalizers-added" | undefined> {
  const scope = await loadScope(store, key, stateDir);
  if (!scope || isDeleting(scope.cluster)) return scope;
  const missing = objectsMissingFinalizer(scope);
  if (missing.length === 0) return scope;
  await addFinalizers(store, missing);
  const reread = await loadScope(store, key, stateDir);
  if (!reread || isDeleting(reread.cluster)) return reread;
  return objectsMissingFinalizer(reread).length === 0 ? reread : "finalizers-added";
}
