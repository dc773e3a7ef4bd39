import type { API_VERSION, ObjectMeta } from "./meta.js";

/**
 * A reusable provider spec. As in Cluster API v1alpha1 it has a top-level
 * `providerSpec` and no `spec`. Both shapes are accepted: the seed's
 * `providerSpec: {value: {...}}` and the raw `providerSpec: {apiVersion, kind, ...}`.
 */
export interface MachineClass {
  apiVersion: typeof API_VERSION;
  kind: "MachineClass";
  metadata: ObjectMeta;
  providerSpec: Record<string, unknown>;
}
