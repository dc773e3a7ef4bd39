import type { KubernetesObject } from "@kubernetes/client-node";
import type { Cluster } from "../../api/cluster.js";
import { CLUSTER_NAME_LABEL, type OwnerReference } from "../../api/meta.js";
import type { OutputValue } from "../../terraform/types.js";
import { controllerRefTo } from "../shared/owner-refs.js";

/**
 * Sensitive Terraform outputs of a cluster stack live in one place only:
 * Secret `<cluster>-outputs` (type Opaque), owned by the Cluster so it is
 * garbage-collected with it. Status, Events, logs and applied.json carry
 * their names at most. The Secret's content is never logged.
 */

export const OUTPUTS_SECRET_SUFFIX = "-outputs";
/** The cluster's name, so `kubectl get secret -l clusterform.io/cluster=NAME` finds it. */
export const OUTPUTS_SECRET_CLUSTER_LABEL = "clusterform.io/cluster";

export interface OutputsSecret {
  apiVersion: "v1";
  kind: "Secret";
  type: "Opaque";
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    ownerReferences: OwnerReference[];
  };
  /** base64, as the API stores Secrets. */
  data: Record<string, string>;
}

export function outputsSecretName(cluster: string): string {
  return `${cluster}${OUTPUTS_SECRET_SUFFIX}`;
}

/** Each sensitive output by name: strings as they are, anything else JSON-encoded. Names sorted. */
export function sensitiveOutputValues(outputs: Record<string, OutputValue>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of Object.keys(outputs).sort()) {
    const output = outputs[name];
    if (!output?.sensitive) continue;
    values[name] = typeof output.value === "string" ? output.value : JSON.stringify(output.value ?? null);
  }
  return values;
}

/** The Secret for these outputs; undefined when none is sensitive (then no Secret should exist). */
export function outputsSecret(
  cluster: Cluster,
  outputs: Record<string, OutputValue>,
): OutputsSecret | undefined {
  const values = sensitiveOutputValues(outputs);
  if (Object.keys(values).length === 0) return undefined;
  const name = cluster.metadata.name ?? "";
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) data[key] = Buffer.from(value).toString("base64");
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: {
      name: outputsSecretName(name),
      namespace: cluster.metadata.namespace ?? "default",
      labels: { [OUTPUTS_SECRET_CLUSTER_LABEL]: name, [CLUSTER_NAME_LABEL]: name },
      ownerReferences: [controllerRefTo(cluster as unknown as KubernetesObject)],
    },
    data,
  };
}
