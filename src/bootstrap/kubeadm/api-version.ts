import { atLeastMinor, type KubeVersion } from "../kube-version.js";

/**
 * The kubeadm config API clusterform writes for a Kubernetes version: the
 * newest one that kubeadm release both reads and writes (docs/bootstrap.md
 * lists the sources). 1.13 is the floor: older kubeadm only had alpha APIs.
 */
export type KubeadmApiVersion = "v1beta1" | "v1beta2" | "v1beta3" | "v1beta4";

export const KUBEADM_API_VERSIONS: readonly KubeadmApiVersion[] = [
  "v1beta1",
  "v1beta2",
  "v1beta3",
  "v1beta4",
];

/** The lowest Kubernetes version clusterform can render for (kubeadm's first beta config API). */
export const MIN_KUBERNETES_MINOR = { major: 1, minor: 13 } as const;

/** undefined when kubeadm of that version has no beta config API (below 1.13). */
export function kubeadmApiVersionFor(version: KubeVersion): KubeadmApiVersion | undefined {
  if (version.major !== 1) return version.major > 1 ? "v1beta4" : undefined;
  if (atLeastMinor(version, 1, 31)) return "v1beta4";
  if (atLeastMinor(version, 1, 22)) return "v1beta3";
  if (atLeastMinor(version, 1, 15)) return "v1beta2";
  if (atLeastMinor(version, 1, 13)) return "v1beta1";
  return undefined;
}

export function kubeadmGroupVersion(api: KubeadmApiVersion): string {
  return `kubeadm.k8s.io/${api}`;
}
