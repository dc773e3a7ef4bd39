import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kubeconfigSecretName, renderKubeconfig } from "./kubeconfig.js";
import { type CertAndKey, type ClusterPki, generateClusterPki, issueAdminClientCert } from "./pki.js";

const fromB64 = (value: unknown) => Buffer.from(String(value), "base64").toString("utf8");

describe("renderKubeconfig", () => {
  let pki: ClusterPki;
  let admin: CertAndKey;
  beforeAll(async () => {
    pki = await generateClusterPki();
    admin = await issueAdminClientCert(pki.ca);
  });

  it("follows Cluster API's conventions: Secret <cluster>-kubeconfig, context <cluster>-admin@<cluster>", () => {
    const config = parse(
      renderKubeconfig({
        clusterName: "c1",
        endpointHost: "lb-1.elb.example.com",
        caCert: pki.ca.cert,
        admin,
      }),
    );
    expect(kubeconfigSecretName("c1")).toBe("c1-kubeconfig");
    expect(config["current-context"]).toBe("c1-admin@c1");
    expect(config.contexts).toEqual([{ name: "c1-admin@c1", context: { cluster: "c1", user: "c1-admin" } }]);
    expect(config.clusters[0].cluster.server).toBe("https://lb-1.elb.example.com:6443");
    expect(fromB64(config.clusters[0].cluster["certificate-authority-data"])).toBe(pki.ca.cert);
    expect(fromB64(config.users[0].user["client-certificate-data"])).toBe(admin.cert);
    expect(fromB64(config.users[0].user["client-key-data"])).toBe(admin.key);
    const client = new X509Certificate(fromB64(config.users[0].user["client-certificate-data"]));
    expect(client.checkIssued(new X509Certificate(pki.ca.cert))).toBe(true);
  });

  it("brackets an IPv6 endpoint and refuses anything that is not a host", () => {
    const ipv6 = parse(
      renderKubeconfig({ clusterName: "c1", endpointHost: "fd00::10", caCert: pki.ca.cert, admin }),
    );
    expect(ipv6.clusters[0].cluster.server).toBe("https://[fd00::10]:6443");
    for (const bad of ["https://x", "a b", "", "host/path", "x:6443:1/"]) {
      expect(() =>
        renderKubeconfig({ clusterName: "c1", endpointHost: bad, caCert: pki.ca.cert, admin }),
      ).toThrow(/Cluster c1: API endpoint ".*" is not a host name or IP address/);
    }
  });
});
