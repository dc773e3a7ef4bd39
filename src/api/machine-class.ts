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

/**
 * Where a MachineClass keeps its provider spec: under `providerSpec.value`
 * (the seed's shape, preferred) or directly in `providerSpec` (the raw shape,
 * recognised by its apiVersion or kind).
 */
export function classProviderSpec(machineClass: MachineClass): { value: unknown; path: string } | undefined {
  const providerSpec = machineClass.providerSpec;
  if ("value" in providerSpec) return { value: providerSpec.value, path: "providerSpec.value" };
  if ("apiVersion" in providerSpec || "kind" in providerSpec)
    return { value: providerSpec, path: "providerSpec" };
  return undefined;
}
