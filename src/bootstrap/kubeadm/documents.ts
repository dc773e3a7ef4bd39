import { API_SERVER_PORT } from "../endpoint.js";
import type { KubeVersion } from "../kube-version.js";
import type { KeyAlgorithm } from "../pki.js";
import { type KubeadmApiVersion, kubeadmApiVersionFor, kubeadmGroupVersion } from "./api-version.js";
import { renderArgs } from "./args.js";

/**
 * kubeadm's config documents for one cluster, in the API version its
 * Kubernetes version reads. Plain objects; cloud-config.ts serialises them.
 * Only what clusterform decides is set; kubeadm defaults the rest (node name
 * = hostname, advertise address = the default route's interface, CRI socket
 * detected) the way the v1alpha1 providers relied on.
 */
export interface KubeadmClusterInput {
  clusterName: string;
  /** `spec.versions.controlPlane` of the control-plane Machines. */
  kubernetesVersion: KubeVersion;
  /** Host of the API endpoint (the placeholder the stack replaces). */
  endpointHost: string;
  /** clusterNetwork.pods.cidrBlocks / services.cidrBlocks; comma-joined for kubeadm (dual stack). */
  podCidrs?: readonly string[];
  serviceCidrs?: readonly string[];
  /** clusterNetwork.serviceDomain */
  dnsDomain?: string;
  /** The PKI's algorithm: v1beta4 is told to make its leaf keys the same way. */
  keyAlgorithm: KeyAlgorithm;
  apiServerExtraArgs?: Readonly<Record<string, string>>;
  kubeletExtraArgs?: Readonly<Record<string, string>>;
}

export interface InitTokenInput {
  /** `id.secret` */
  token: string;
  /** Go duration, e.g. `24h0m0s`. */
  ttl: string;
}

export interface KubeadmJoinInput {
  kubernetesVersion: KubeVersion;
  endpointHost: string;
  token: string;
  /** `sha256:<hex>` of the cluster CA's public key (token.ts caCertHash). */
  caCertHash: string;
  controlPlane: boolean;
  kubeletExtraArgs?: Readonly<Record<string, string>>;
}

export type KubeadmDocument = Record<string, unknown> & { apiVersion: string; kind: string };

/** kubeadm's default group for tokens that let nodes join. */
const NODE_TOKEN_GROUP = "system:bootstrappers:kubeadm:default-node-token";

/** ClusterConfiguration + InitConfiguration for the init machine. */
export function renderInitDocuments(cluster: KubeadmClusterInput, token: InitTokenInput): KubeadmDocument[] {
  const api = apiFor(cluster.kubernetesVersion);
  return [renderClusterConfiguration(api, cluster), renderInitConfiguration(api, cluster, token)];
}

export function renderJoinDocument(join: KubeadmJoinInput): KubeadmDocument {
  const api = apiFor(join.kubernetesVersion);
  const endpoint = `${join.endpointHost}:${API_SERVER_PORT}`;
  return {
    apiVersion: kubeadmGroupVersion(api),
    kind: "JoinConfiguration",
    discovery: {
      bootstrapToken: { apiServerEndpoint: endpoint, token: join.token, caCertHashes: [join.caCertHash] },
    },
    ...nodeRegistration(api, join.kubeletExtraArgs),
    ...(join.controlPlane ? { controlPlane: { localAPIEndpoint: { bindPort: API_SERVER_PORT } } } : {}),
  };
}

function renderClusterConfiguration(api: KubeadmApiVersion, cluster: KubeadmClusterInput): KubeadmDocument {
  const networking = {
    ...(cluster.podCidrs?.length ? { podSubnet: cluster.podCidrs.join(",") } : {}),
    ...(cluster.serviceCidrs?.length ? { serviceSubnet: cluster.serviceCidrs.join(",") } : {}),
    ...(cluster.dnsDomain ? { dnsDomain: cluster.dnsDomain } : {}),
  };
  const apiServerArgs = cluster.apiServerExtraArgs ?? {};
  return {
    apiVersion: kubeadmGroupVersion(api),
    kind: "ClusterConfiguration",
    clusterName: cluster.clusterName,
    kubernetesVersion: cluster.kubernetesVersion.text,
    controlPlaneEndpoint: `${cluster.endpointHost}:${API_SERVER_PORT}`,
    ...(Object.keys(networking).length > 0 ? { networking } : {}),
    apiServer: {
      certSANs: [cluster.endpointHost],
      ...(Object.keys(apiServerArgs).length > 0 ? { extraArgs: renderArgs(api, apiServerArgs) } : {}),
    },
    ...(api === "v1beta4" ? { encryptionAlgorithm: encryptionAlgorithm(cluster.keyAlgorithm) } : {}),
  };
}

function renderInitConfiguration(
  api: KubeadmApiVersion,
  cluster: KubeadmClusterInput,
  token: InitTokenInput,
): KubeadmDocument {
  return {
    apiVersion: kubeadmGroupVersion(api),
    kind: "InitConfiguration",
    bootstrapTokens: [
      {
        token: token.token,
        ttl: token.ttl,
        usages: ["signing", "authentication"],
        groups: [NODE_TOKEN_GROUP],
        description: "clusterform: lets this cluster's Machines join",
      },
    ],
    localAPIEndpoint: { bindPort: API_SERVER_PORT },
    ...nodeRegistration(api, cluster.kubeletExtraArgs),
  };
}

function nodeRegistration(api: KubeadmApiVersion, kubeletArgs: Readonly<Record<string, string>> | undefined) {
  if (!kubeletArgs || Object.keys(kubeletArgs).length === 0) return {};
  return { nodeRegistration: { kubeletExtraArgs: renderArgs(api, kubeletArgs) } };
}

/** v1beta4's names for the algorithms pki.ts makes. */
function encryptionAlgorithm(algorithm: KeyAlgorithm): string {
  return algorithm === "ecdsa-p256" ? "ECDSA-P256" : "RSA-2048";
}

function apiFor(version: KubeVersion): KubeadmApiVersion {
  const api = kubeadmApiVersionFor(version);
  // versions.ts reports this as a field error first; reaching here is a caller bug.
  if (!api)
    throw new RangeError(
      `kubeadm has no beta config API for Kubernetes ${version.text} (1.13 or later needed)`,
    );
  return api;
}
