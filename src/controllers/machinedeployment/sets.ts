import type { KubernetesObject } from "@kubernetes/client-node";
import { clusterNameOf } from "../../api/cluster-label.js";
import type { MachineDeployment, MachineSet } from "../../api/machine-set.js";
import { CLUSTER_NAME_LABEL } from "../../api/meta.js";
import { controllerRefTo } from "../shared/owner-refs.js";
import { TEMPLATE_HASH_LABEL } from "./template-hash.js";

/** Annotation carrying the rollout revision on a MachineDeployment and its MachineSets. */
export const REVISION_ANNOTATION = "machinedeployment.clusters.k8s.io/revision";

export type LiveMachineSet = MachineSet & KubernetesObject;

export function revisionOf(object: { metadata: { annotations?: Record<string, string> } }): number {
  const value = Number(object.metadata.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/** Oldest first: by revision, then creation time, then name. */
export function oldestFirst(a: LiveMachineSet, b: LiveMachineSet): number {
  return (
    revisionOf(a) - revisionOf(b) ||
    (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") ||
    (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "")
  );
}

/**
 * The MachineSet for the deployment's current template: named
 * `<deployment>-<hash>`, the hash label on it, in its selector and on its
 * template, the cluster label, the deployment as controller.
 */
export function machineSetFor(
  deployment: MachineDeployment & KubernetesObject,
  hash: string,
  replicas: number,
  revision: number,
): MachineSet {
  const template = deployment.spec.template;
  const labels = { ...(template.metadata?.labels ?? {}), [TEMPLATE_HASH_LABEL]: hash };
  const cluster = clusterNameOf(deployment);
  const setLabels = { ...labels, ...("name" in cluster ? { [CLUSTER_NAME_LABEL]: cluster.name } : {}) };
  return {
    apiVersion: "cluster.k8s.io/v1alpha1",
    kind: "MachineSet",
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      labels: setLabels,
      annotations: { [REVISION_ANNOTATION]: String(revision) },
      ownerReferences: [controllerRefTo(deployment)],
    },
    spec: {
      replicas,
      ...(deployment.spec.minReadySeconds !== undefined
        ? { minReadySeconds: deployment.spec.minReadySeconds }
        : {}),
      selector: {
        ...deployment.spec.selector,
        matchLabels: { ...(deployment.spec.selector.matchLabels ?? {}), [TEMPLATE_HASH_LABEL]: hash },
      },
      template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
    },
  };
}
