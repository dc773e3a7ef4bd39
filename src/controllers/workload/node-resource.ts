import type { ResourceRef } from "../runtime/resource.js";

/** core/v1 Node in the workload cluster. */
export const NodeResource: ResourceRef = {
  group: "",
  version: "v1",
  plural: "nodes",
  kind: "Node",
  namespaced: false,
};
