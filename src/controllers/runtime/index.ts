/**
 * The controller runtime: everything a clusterform controller needs to
 * watch the Kubernetes API and reconcile keys, with no controller logic.
 *
 * Usage (see docs/controllers.md):
 *
 * ```ts
 * const manager = new Manager({ kubeConfig, leaderElection: { namespace: "default", name: "clusterform" } });
 * const controller = new Controller({ name: "machineset", maxConcurrent: 2, reconcile: async (key, { signal }) => {
 *   // level-based: read the object named by key, converge, return { requeueAfterMs? } or throw
 * } });
 * controller
 *   .watch(manager.informer(MachineSetResource))                                  // primary: its own key
 *   .watch(manager.informer(MachineResource), mapToControllerOfKind("MachineSet")); // secondary: mapped keys
 * manager.add(controller);
 * await manager.start();   // waits for the Lease, syncs informers, starts workers
 * await manager.stop();    // stop taking work, drain (abort after the grace period), release the Lease
 * ```
 *
 * - `ApiClient`: JSON get/find/list/create/replace/patch (merge|json, /status, /scale)/delete for any
 *   `ResourceRef`, throwing `ApiError` (statusCode, statusReason, retryable). `isNotFound`, `isConflict`.
 * - `SharedInformer`: client-node list+watch cache with restart on error and periodic resync;
 *   `get(name, ns)`, `list(ns)`, `onChange(handler)`. Get them from `manager.informer(resource)` so
 *   controllers share one watch per kind.
 * - `WorkQueue`: dedupes keys, per-key serialisation (a key re-added while running runs once more after),
 *   `addAfter`, `addRateLimited` (capped exponential backoff + jitter, `backoffDelay`), `forget`.
 * - `Controller`: named queue + `maxConcurrent` workers; `watch(informer, mapKeys?)`; reconcile gets
 *   `{ signal, logger }`; a thrown ClusterformError with `retryable=false` is terminal (no retry);
 *   other throws retry with backoff; `{ requeueAfterMs }` schedules the next pass.
 * - `LeaderElector`: coordination.k8s.io/v1 Lease acquire/renew/release; `Manager` runs controllers
 *   only while leading and calls `onLostLeadership` after stopping them.
 * - `Logger`, `consoleLogger(level)`, `silentLogger`.
 *
 * Helpers shared by controllers (owner references, selectors, status patches, finalizers, Events)
 * live in `../shared/`.
 */
export {
  ApiClient,
  ApiError,
  isAlreadyExists,
  isConflict,
  isNotFound,
  type PatchType,
} from "./api-client.js";
export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from "./backoff.js";
export {
  Controller,
  type ControllerOptions,
  type KeyMapper,
  ownKey,
  type ReconcileContext,
  type ReconcileResult,
  type Reconciler,
  type ShutdownOptions,
} from "./controller.js";
export { type InformerOptions, type ObjectHandler, SharedInformer } from "./informer.js";
export { formatKey, keyOf, type ObjectKey, parseKey } from "./keys.js";
export { defaultIdentity, type LeaderElectionOptions, LeaderElector } from "./leader-election.js";
export { consoleLogger, type Logger, type LogLevel, silentLogger } from "./logger.js";
export { Manager, type ManagerOptions } from "./manager.js";
export {
  apiVersionOf,
  collectionPath,
  EventResource,
  LeaseResource,
  objectPath,
  type ResourceRef,
} from "./resource.js";
export { WorkQueue } from "./work-queue.js";
