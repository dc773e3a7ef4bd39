import { describe, expect, it } from "vitest";
import { CONTROL_PLANE_ENDPOINT_PLACEHOLDER } from "../endpoint.js";
import { type KubeVersion, parseKubeVersion } from "../kube-version.js";
import { KUBEADM_API_VERSIONS, type KubeadmApiVersion, kubeadmApiVersionFor } from "./api-version.js";
import { type KubeadmClusterInput, renderInitDocuments, renderJoinDocument } from "./documents.js";
import { checkKubeadmDocument, type KubeadmKind } from "./schemas.js";

const version = (text: string): KubeVersion => parseKubeVersion(text) ?? expect.fail(text);
const TOKEN = { token: "abcdef.0123456789abcdef", ttl: "24h0m0s" };
const HASH = `sha256:${"ab".repeat(32)}`;
const SAMPLE_VERSION: Record<KubeadmApiVersion, string> = {
  v1beta1: "1.13.6",
  v1beta2: "1.18.20",
  v1beta3: "1.27.3",
  v1beta4: "1.31.2",
};

function cluster(kubernetesVersion: string, extra: Partial<KubeadmClusterInput> = {}): KubeadmClusterInput {
  return {
    clusterName: "workload-cluster-1",
    kubernetesVersion: version(kubernetesVersion),
    endpointHost: CONTROL_PLANE_ENDPOINT_PLACEHOLDER,
    podCidrs: ["100.96.0.0/11"],
    serviceCidrs: ["100.64.0.0/13"],
    dnsDomain: "cluster.local",
    keyAlgorithm: "rsa-2048",
    apiServerExtraArgs: { "audit-log-maxage": "30" },
    kubeletExtraArgs: { "node-labels": "clusterform.io/pool=a" },
    ...extra,
  };
}

function expectValid(api: KubeadmApiVersion, document: Record<string, unknown>): void {
  const errors = checkKubeadmDocument(api, document.kind as KubeadmKind, document);
  expect(errors.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)).toEqual([]);
}

describe("kubeadm API version by Kubernetes version", () => {
  it.each([
    ["1.12.10", undefined],
    ["1.13.0", "v1beta1"],
    ["1.13.6", "v1beta1"],
    ["1.14.10", "v1beta1"],
    ["1.15.0", "v1beta2"],
    ["1.21.14", "v1beta2"],
    ["1.22.0", "v1beta3"],
    ["1.30.9", "v1beta3"],
    ["1.31.0", "v1beta4"],
    ["1.35.1", "v1beta4"],
  ])("%s -> %s", (text, api) => {
    expect(kubeadmApiVersionFor(version(text))).toBe(api);
  });
});

describe.each(KUBEADM_API_VERSIONS)("kubeadm %s documents", (api) => {
  const k8s = SAMPLE_VERSION[api];

  it("renders ClusterConfiguration + InitConfiguration that its schema accepts", () => {
    const [clusterConfig, initConfig] = renderInitDocuments(cluster(k8s), TOKEN);
    expect(clusterConfig?.apiVersion).toBe(`kubeadm.k8s.io/${api}`);
    expect(clusterConfig).toMatchObject({
      kind: "ClusterConfiguration",
      clusterName: "workload-cluster-1",
      kubernetesVersion: `v${k8s}`,
      controlPlaneEndpoint: `${CONTROL_PLANE_ENDPOINT_PLACEHOLDER}:6443`,
      networking: { podSubnet: "100.96.0.0/11", serviceSubnet: "100.64.0.0/13", dnsDomain: "cluster.local" },
      apiServer: { certSANs: [CONTROL_PLANE_ENDPOINT_PLACEHOLDER] },
    });
    expect(initConfig).toMatchObject({
      kind: "InitConfiguration",
      bootstrapTokens: [{ token: TOKEN.token, ttl: "24h0m0s" }],
    });
    expectValid(api, clusterConfig ?? {});
    expectValid(api, initConfig ?? {});
  });

  it("renders a worker JoinConfiguration and a control-plane one that its schema accepts", () => {
    const worker = renderJoinDocument({
      kubernetesVersion: version(k8s),
      endpointHost: CONTROL_PLANE_ENDPOINT_PLACEHOLDER,
      token: TOKEN.token,
      caCertHash: HASH,
      controlPlane: false,
      kubeletExtraArgs: { "node-labels": "a=b" },
    });
    expect(worker).toMatchObject({
      kind: "JoinConfiguration",
      discovery: {
        bootstrapToken: {
          apiServerEndpoint: `${CONTROL_PLANE_ENDPOINT_PLACEHOLDER}:6443`,
          token: TOKEN.token,
          caCertHashes: [HASH],
        },
      },
    });
    expect(worker).not.toHaveProperty("controlPlane");
    expectValid(api, worker);
    const controlPlane = renderJoinDocument({
      kubernetesVersion: version(k8s),
      endpointHost: CONTROL_PLANE_ENDPOINT_PLACEHOLDER,
      token: TOKEN.token,
      caCertHash: HASH,
      controlPlane: true,
    });
    expect(controlPlane).toMatchObject({ controlPlane: { localAPIEndpoint: { bindPort: 6443 } } });
    expectValid(api, controlPlane);
  });

  it("has a strict schema: a misspelled field is refused", () => {
    const [clusterConfig] = renderInitDocuments(cluster(k8s), TOKEN);
    const errors = checkKubeadmDocument(api, "ClusterConfiguration", {
      ...clusterConfig,
      controlPlaneEndpiont: "x",
    });
    expect(errors.map((e) => e.params)).toContainEqual({ additionalProperty: "controlPlaneEndpiont" });
  });
});

describe("differences between kubeadm API versions", () => {
  it("writes extraArgs as a map up to v1beta3 and as a name/value list from v1beta4", () => {
    const [old] = renderInitDocuments(cluster("1.27.3"), TOKEN);
    const [current] = renderInitDocuments(cluster("1.31.2"), TOKEN);
    expect(old).toMatchObject({ apiServer: { extraArgs: { "audit-log-maxage": "30" } } });
    expect(current).toMatchObject({ apiServer: { extraArgs: [{ name: "audit-log-maxage", value: "30" }] } });
    // And each schema refuses the other shape.
    expect(
      checkKubeadmDocument(
        "v1beta4",
        "ClusterConfiguration",
        old && { ...old, apiVersion: "kubeadm.k8s.io/v1beta4" },
      ),
    ).not.toEqual([]);
    expect(
      checkKubeadmDocument(
        "v1beta3",
        "ClusterConfiguration",
        current && { ...current, apiVersion: "kubeadm.k8s.io/v1beta3" },
      ),
    ).not.toEqual([]);
  });

  it("tells v1beta4 kubeadm to make leaf keys with the PKI's algorithm, and older ones nothing", () => {
    const [ecdsa] = renderInitDocuments(cluster("1.31.2", { keyAlgorithm: "ecdsa-p256" }), TOKEN);
    const [rsa] = renderInitDocuments(cluster("1.31.2"), TOKEN);
    const [old] = renderInitDocuments(cluster("1.27.3", { keyAlgorithm: "ecdsa-p256" }), TOKEN);
    expect(ecdsa?.encryptionAlgorithm).toBe("ECDSA-P256");
    expect(rsa?.encryptionAlgorithm).toBe("RSA-2048");
    expect(old).not.toHaveProperty("encryptionAlgorithm");
  });

  it("refuses v1beta1-only fields in v1beta3 (useHyperKubeImage was removed)", () => {
    const [clusterConfig] = renderInitDocuments(cluster("1.27.3"), TOKEN);
    expect(
      checkKubeadmDocument("v1beta3", "ClusterConfiguration", { ...clusterConfig, useHyperKubeImage: false }),
    ).not.toEqual([]);
    const [v1beta1] = renderInitDocuments(cluster("1.13.6"), TOKEN);
    expect(
      checkKubeadmDocument("v1beta1", "ClusterConfiguration", { ...v1beta1, useHyperKubeImage: false }),
    ).toEqual([]);
  });

  it("joins multiple CIDR blocks with commas (kubeadm's dual-stack form) and omits empty networking", () => {
    const [dual] = renderInitDocuments(cluster("1.27.3", { podCidrs: ["10.0.0.0/16", "fd00::/56"] }), TOKEN);
    expect(dual).toMatchObject({ networking: { podSubnet: "10.0.0.0/16,fd00::/56" } });
    const [bare] = renderInitDocuments(
      { ...cluster("1.27.3"), podCidrs: [], serviceCidrs: [], dnsDomain: "" },
      TOKEN,
    );
    expect(bare).not.toHaveProperty("networking");
  });

  it("throws for a version below 1.13 (versions.ts reports it as a field error first)", () => {
    expect(() => renderInitDocuments(cluster("1.12.10"), TOKEN)).toThrow(/1\.13 or later/);
  });
});
