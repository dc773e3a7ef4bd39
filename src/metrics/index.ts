/**
 * Metrics and health endpoints (docs/operations.md lists every metric).
 * Depends on prom-client and nothing else in the project: the controller
 * runtime and the cluster controller feed it through small hooks.
 */
export { type BindAddress, describeBindAddress, parseBindAddress } from "./bind-address.js";
export { ClusterformMetrics, type FleetSnapshot } from "./clusterform-metrics.js";
export { type Endpoints, type Probes, serveMetrics, serveProbes } from "./http-endpoints.js";
export {
  type QueueMetrics,
  type ReconcileMetrics,
  type ReconcileOutcome,
  RuntimeMetrics,
} from "./runtime-metrics.js";
