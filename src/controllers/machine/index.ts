export { clusterRefProblem, clusterRefUpdate } from "./cluster-ref.js";
export { machineClusterController } from "./controller.js";
