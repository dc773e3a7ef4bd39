/** Helpers both kinds of controllers use: resources, owner references, labels/selectors, status, finalizers, Events. */
export { EventRecorder, type EventType } from "./events.js";
export { addFinalizer, removeFinalizer } from "./finalizers.js";
export { patchIfUnchanged, setMetadataList } from "./guarded-patch.js";
export { hasAllLabels, labelsOf, mapToCluster, selectorMatcher } from "./labels.js";
export {
  DELETE_MACHINE_ANNOTATION,
  isMachineAvailable,
  isMachineReady,
  msUntilAvailable,
} from "./machines.js";
export {
  adopt,
  controllerRefOf,
  controllerRefTo,
  isControlledBy,
  mapToControllerOfKind,
  release,
} from "./owner-refs.js";
export {
  ClusterResource,
  MachineClassResource,
  MachineDeploymentResource,
  MachineResource,
  MachineSetResource,
} from "./resources.js";
export { deepEqual, mergePatchBetween, patchStatus } from "./status-patch.js";
