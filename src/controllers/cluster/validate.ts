import { ON_DELETE_ANNOTATION } from "../../api/annotations.js";
import { type FieldError, formatFieldError } from "../../api/field-error.js";
import { buildModels } from "../../model/build.js";
import type { ClusterModel } from "../../model/types.js";
import { machinesAwaitingRelease } from "./finalizers.js";
import { type ClusterScope, liveMachines } from "./scope.js";

export type Validation = { ok: true; model: ClusterModel } | { ok: false; errors: FieldError[] };

/**
 * Builds this cluster's model from the API objects with the same builder the
 * CLI uses. Machines being deleted are left out, so the next apply destroys
 * their instances, except those annotated `clusterform.io/on-delete: orphan`:
 * their instances are forgotten (a `removed` block) until the finalizer goes.
 */
export function validate(scope: ClusterScope, defaultBackend?: "local" | "kubernetes"): Validation {
  const result = buildModels({
    clusters: [scope.cluster],
    machines: liveMachines(scope),
    machineClasses: scope.machineClasses,
    configMaps: scope.configMaps,
    ...(defaultBackend ? { defaultBackend } : {}),
  });
  const model = result.models[0];
  if (model) {
    const orphaned = orphanedMachines(scope);
    return { ok: true, model: orphaned.length ? { ...model, orphanedMachines: orphaned } : model };
  }
  const errors = [...(result.invalid[0]?.errors ?? []), ...result.errors];
  return { ok: false, errors: errors.length ? errors : [noModelError(scope)] };
}

/** Machines being deleted (still held by our finalizer) whose instances must outlive them. */
export function orphanedMachines(scope: ClusterScope): string[] {
  return machinesAwaitingRelease(scope)
    .filter((m) => m.metadata.annotations?.[ON_DELETE_ANNOTATION] === "orphan")
    .map((m) => m.metadata.name ?? "");
}

function noModelError(scope: ClusterScope): FieldError {
  return {
    kind: "Cluster",
    namespace: scope.key.namespace,
    name: scope.key.name,
    path: "spec.providerSpec.value",
    message: "no provider spec the controller can use",
  };
}

/** The messages for one object (or all of them), one line each, for status and Events. */
export function describeErrors(errors: readonly FieldError[], only?: { kind: string; name: string }): string {
  const mine = only ? errors.filter((e) => e.kind === only.kind && e.name === only.name) : errors;
  return mine.map(formatFieldError).join("; ");
}
