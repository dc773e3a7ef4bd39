import type { Machine } from "../api/machine.js";
import { AWS_MACHINE_SPEC, machine } from "../model/test-objects.js";
import type { BootstrapContext } from "./cloud-config.js";
import { CONTROL_PLANE_ENDPOINT_PLACEHOLDER } from "./endpoint.js";
import { parseKubeVersion } from "./kube-version.js";
import type { ClusterPki, KeyAlgorithm } from "./pki.js";
import { generateBootstrapToken } from "./token.js";

/** Test objects for the bootstrap unit tests and the bootstrap e2e/bench (not used by the product). */
export function versionedMachine(name: string, kubelet: string, controlPlane?: string): Machine {
  const base = machine(name, "c1", { value: AWS_MACHINE_SPEC });
  base.spec.versions = controlPlane === undefined ? { kubelet } : { kubelet, controlPlane };
  return base;
}

export function bootstrapContext(
  pki: ClusterPki,
  version = "1.13.6",
  options: { keyAlgorithm?: KeyAlgorithm; kubeletExtraArgs?: Record<string, string> } = {},
): BootstrapContext {
  const kubernetesVersion = parseKubeVersion(version);
  if (!kubernetesVersion) throw new Error(`bad test version ${version}`);
  const token = generateBootstrapToken();
  return {
    cluster: {
      clusterName: "c1",
      kubernetesVersion,
      endpointHost: CONTROL_PLANE_ENDPOINT_PLACEHOLDER,
      podCidrs: ["100.96.0.0/11"],
      serviceCidrs: ["100.64.0.0/13"],
      dnsDomain: "cluster.local",
      keyAlgorithm: options.keyAlgorithm ?? "rsa-2048",
      ...(options.kubeletExtraArgs ? { kubeletExtraArgs: options.kubeletExtraArgs } : {}),
    },
    pki,
    token: { token: token.token, ttl: token.ttl },
  };
}
