/** The MachineDeployment controller: one MachineSet per template hash, rolled with maxSurge/maxUnavailable. */
export {
  type MachineDeploymentControllerOptions,
  machineDeploymentController,
} from "./controller.js";
export { type MachineDeploymentReconcilerDeps, reconcileMachineDeployment } from "./reconcile.js";
export {
  type Fenceposts,
  newSetReplicas,
  oldSetsReplicas,
  pausedReplicas,
  resolveFenceposts,
  resolveIntOrPercent,
  type SetCounts,
} from "./rolling.js";
export { machineSetFor, oldestFirst, REVISION_ANNOTATION, revisionOf } from "./sets.js";
export { TEMPLATE_HASH_LABEL, templateHash } from "./template-hash.js";
