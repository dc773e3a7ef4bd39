import type { Cluster } from "../api/cluster.js";
import { errorAt, type FieldError } from "../api/field-error.js";

/**
 * Bootstrap is ON for every Cluster: its Machines become kubeadm nodes.
 * `clusterform.io/bootstrap: "disabled"` on the Cluster opts out, so its
 * Machines stay bare instances (infrastructure only, or nodes some other
 * tool bootstraps). Any other value than "enabled" / "disabled" is a field
 * error rather than a silent guess.
 */
export const BOOTSTRAP_ANNOTATION = "clusterform.io/bootstrap";

export type BootstrapSetting = "enabled" | "disabled";

export function bootstrapSetting(cluster: Cluster): BootstrapSetting | FieldError {
  const value = cluster.metadata.annotations?.[BOOTSTRAP_ANNOTATION];
  if (value === undefined || value === "enabled") return "enabled";
  if (value === "disabled") return "disabled";
  return errorAt(
    cluster,
    `metadata.annotations["${BOOTSTRAP_ANNOTATION}"]`,
    `"${value}" is not a bootstrap setting: use "enabled" (the default) or "disabled" (Machines stay bare instances)`,
  );
}
