import { bootstrapVariables } from "../../../stacks/index.js";
import {
  type BootstrapMaterials,
  bootstrapSetting,
  lateJoiners,
  prepareBootstrap,
} from "../../bootstrap/index.js";
import type { ClusterModel } from "../../model/types.js";
import { SecretBootstrapStore } from "./bootstrap-secrets.js";
import { joinTokensFor } from "./bootstrap-tokens.js";
import type { WorkloadAccess } from "./leaving-nodes.js";
import type { BootstrapObservation, ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

/**
 * The explicit step before synthesis: load what the cluster keeps, let the
 * shared core decide, store what is new (PKI, init machine, token, each new
 * Machine's data) BEFORE Terraform runs, and hand the model its bootstrap
 * section and the scope the sensitive variables every Terraform run of this
 * cluster needs. Undefined when the pass stops here (invalid, no control
 * plane): scope.invalid or scope.bootstrap says why. Late joiners get
 * tokens created in the workload cluster first (bootstrap-tokens.ts); those
 * still without one are left out of the returned model (scope.bootstrap.waiting).
 */
export async function bootstrapStep(
  store: ClusterStore,
  scope: ClusterScope,
  model: ClusterModel,
  now: Date,
  workload?: WorkloadAccess,
): Promise<ClusterModel | undefined> {
  const machines = new Map(model.machines.map((entry) => [entry.name, entry.machine]));
  const secrets = new SecretBootstrapStore(store, scope.cluster, machines, now);
  const stored = await secrets.load();
  // A Cluster that opted out has no tokens to look after.
  const api =
    bootstrapSetting(model.cluster) === "disabled"
      ? undefined
      : workload?.joinTokens?.(`${scope.key.namespace}/${scope.key.name}`);
  const tokens = await joinTokensFor(api, store, scope, lateJoiners(model, stored, now), now);
  const materials = await prepareBootstrap(model, stored, now, tokens);
  scope.bootstrap = observationOf(materials, stored.kubeconfig);
  if (secrets.kubeconfigBrought) scope.bootstrap.kubeconfigBrought = true;
  if (tokens.recheckAfterMs !== undefined) scope.bootstrap.recheckAfterMs = tokens.recheckAfterMs;
  switch (materials.kind) {
    case "disabled":
    case "none":
      return model;
    case "invalid":
      scope.invalid = materials.errors;
      return undefined;
    case "no-control-plane":
      return undefined;
    case "ready": {
      await secrets.save(materials.changes);
      if (materials.waiting.length === 0) return { ...model, bootstrap: materials.bootstrap };
      const waiting = new Set(materials.waiting);
      scope.bootstrap.waiting = new Map(
        materials.waiting.map((name) => [name, tokens.waiting.get(name) ?? ""]),
      );
      const machinesNow = model.machines.filter((entry) => !waiting.has(entry.name));
      return { ...model, machines: machinesNow, bootstrap: materials.bootstrap } as ClusterModel;
    }
  }
}

function observationOf(materials: BootstrapMaterials, kubeconfig: string | undefined): BootstrapObservation {
  switch (materials.kind) {
    case "disabled":
      return { state: "disabled", variables: {}, warnings: [] };
    case "none":
      return { state: "none", variables: {}, warnings: [] };
    case "invalid":
      return { state: "invalid", variables: {}, warnings: [] };
    case "no-control-plane":
      return { state: "no-control-plane", variables: {}, warnings: [], message: materials.message };
    case "ready":
      return {
        state: "ready",
        variables: bootstrapVariables(materials.data),
        warnings: materials.warnings,
        ca: materials.pki.ca,
        ...(kubeconfig ? { kubeconfig } : {}),
      };
  }
}
