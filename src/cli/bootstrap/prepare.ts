import { bootstrapVariables, CONTROL_PLANE_ENDPOINT_OUTPUT } from "../../../stacks/index.js";
import { formatFieldError } from "../../api/field-error.js";
import { type ClusterPki, kubeconfigToIssue, prepareBootstrap } from "../../bootstrap/index.js";
import { clusterLabel, clusterWorkDir } from "../../converge/options.js";
import { InvalidConfigurationError } from "../../errors.js";
import type { ClusterModel } from "../../model/types.js";
import type { RawOutput } from "../../status/outputs.js";
import { FileBootstrapStore } from "./file-store.js";

/** A cluster ready for Terraform in file mode: the model with `bootstrap` set and the sensitive variables. */
export interface FileModeCluster {
  model: ClusterModel;
  variables?: Record<string, string>;
  /** Present when bootstrapped: what the kubeconfig is issued from after an apply. */
  pki?: ClusterPki;
  warnings: string[];
}

/**
 * File mode's bootstrap step before synthesis, on EVERY run (plan, apply,
 * destroy): load the kept material, let prepareBootstrap decide, save only
 * what is new (before Terraform runs), and hand every Machine's data to
 * Terraform as sensitive variables. A cluster that cannot be bootstrapped
 * fails with a clear error and never blocks the others (eachCluster).
 */
export async function prepareFileBootstrap(model: ClusterModel, stateDir: string): Promise<FileModeCluster> {
  const store = new FileBootstrapStore(clusterWorkDir(stateDir, model));
  const materials = await prepareBootstrap(model, await store.load());
  switch (materials.kind) {
    case "disabled":
    case "none":
      return { model, warnings: [] };
    case "invalid": {
      const lines = materials.errors.map(formatFieldError);
      throw new InvalidConfigurationError(
        `cannot bootstrap ${clusterLabel(model)}: ${lines.join("; ")}`,
        lines,
      );
    }
    case "no-control-plane":
      throw new InvalidConfigurationError(materials.message);
    case "ready":
      await store.save(materials.changes);
      return {
        model: { ...model, bootstrap: materials.bootstrap },
        variables: bootstrapVariables(materials.data),
        pki: materials.pki,
        warnings: materials.warnings,
      };
  }
}

/**
 * After an apply: (re)issue the workload cluster's kubeconfig from the
 * `control_plane_endpoint` output into its 0600 file, when none is kept or
 * it is stale. Returns the file's path, or undefined when there is no
 * endpoint yet (nothing bootstrapped).
 */
export async function writeFileKubeconfig(
  model: ClusterModel,
  pki: ClusterPki,
  outputs: Record<string, RawOutput>,
  stateDir: string,
): Promise<string | undefined> {
  const endpointHost = outputs[CONTROL_PLANE_ENDPOINT_OUTPUT]?.value;
  if (typeof endpointHost !== "string" || endpointHost === "") return undefined;
  const store = new FileBootstrapStore(clusterWorkDir(stateDir, model));
  const { kubeconfig: kept } = await store.load();
  const issued = await kubeconfigToIssue({
    clusterName: model.name,
    endpointHost,
    ca: pki.ca,
    ...(kept !== undefined ? { kept } : {}),
  });
  return issued === undefined ? store.kubeconfigPath() : store.writeKubeconfig(issued);
}
