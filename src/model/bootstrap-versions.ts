import type { Cluster } from "../api/cluster.js";
import type { FieldError } from "../api/field-error.js";
import { bootstrapSetting, checkBootstrapVersions, INIT_MACHINE_ANNOTATION } from "../bootstrap/index.js";
import type { MachineModel } from "./types.js";

/**
 * The bootstrap rules of a Cluster's Machines, checked where every other
 * rule is (buildModels, for the CLI and the controller alike): the opt-out
 * annotation's value, and the version rules of src/bootstrap/versions.ts
 * (a version clusterform cannot render, a kubelet newer than the control
 * plane, control planes of different versions at init) on every
 * bootstrapped Machine (adopted instances are not bootstrapped). Once the
 * init machine is recorded (the Cluster's annotation, or file mode's
 * record) control planes may differ: the cluster exists.
 */
export function bootstrapErrors(
  cluster: Cluster,
  machines: readonly MachineModel[],
  recordedInitMachine?: string,
): FieldError[] {
  const setting = bootstrapSetting(cluster);
  if (typeof setting !== "string") return [setting];
  if (setting === "disabled") return [];
  const recorded = recordedInitMachine ?? cluster.metadata.annotations?.[INIT_MACHINE_ANNOTATION];
  return checkBootstrapVersions(
    machines.filter((entry) => entry.adoptId === undefined).map((entry) => entry.machine),
    recorded ? { recordedInitMachine: recorded } : {},
  );
}
