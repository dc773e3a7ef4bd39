/** The MachineSet controller: keeps `replicas` Machines from the set's template (see docs/controllers.md). */
export { claimMachines, type MachineClaim } from "./claim.js";
export { type MachineSetControllerOptions, machineSetController } from "./controller.js";
export { type DeletePolicy, machinesToDelete } from "./delete-policy.js";
export { machineFromTemplate, randomSuffix } from "./machine-template.js";
export { type MachineSetReconcilerDeps, reconcileMachineSet } from "./reconcile.js";
export { type ComputedSetStatus, computeSetStatus } from "./status.js";
