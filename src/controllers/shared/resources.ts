import { GROUP, VERSION } from "../../api/meta.js";
import type { ResourceRef } from "../runtime/resource.js";

const clusterApi = (kind: string, plural: string): ResourceRef => ({
  group: GROUP,
  version: VERSION,
  plural,
  kind,
  namespaced: true,
});

/** The project's five kinds as API resources. */
export const ClusterResource = clusterApi("Cluster", "clusters");
export const MachineResource = clusterApi("Machine", "machines");
export const MachineSetResource = clusterApi("MachineSet", "machinesets");
export const MachineDeploymentResource = clusterApi("MachineDeployment", "machinedeployments");
export const MachineClassResource = clusterApi("MachineClass", "machineclasses");
