import { randomBytes } from "node:crypto";
import type { KubernetesObject } from "@kubernetes/client-node";
import { clusterNameOf } from "../../api/cluster-label.js";
import type { Machine } from "../../api/machine.js";
import type { MachineSet } from "../../api/machine-set.js";
import { API_VERSION, CLUSTER_NAME_LABEL } from "../../api/meta.js";
import { controllerRefTo } from "../shared/owner-refs.js";

// Like Kubernetes' generated names: no vowels (no words), no look-alike digits.
const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join("");
}

/**
 * A new Machine from the set's template: `<set>-<5 random chars>`, the
 * template's labels and annotations plus the cluster label, the template's
 * spec, and the set as its controller (blockOwnerDeletion).
 */
export function machineFromTemplate(
  set: MachineSet,
  name = `${set.metadata.name}-${randomSuffix()}`,
): Machine {
  const template = set.spec.template ?? {};
  const cluster = clusterNameOf(set);
  const labels = { ...(template.metadata?.labels ?? {}) };
  if ("name" in cluster) labels[CLUSTER_NAME_LABEL] ??= cluster.name;
  return {
    apiVersion: API_VERSION,
    kind: "Machine",
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels,
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [controllerRefTo(set as unknown as KubernetesObject)],
    },
    spec: structuredClone(template.spec ?? ({} as Machine["spec"])),
  };
}
