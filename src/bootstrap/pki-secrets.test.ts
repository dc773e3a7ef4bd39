import { beforeAll, describe, expect, it } from "vitest";
import { InvalidConfigurationError } from "../errors.js";
import {
  type CertAndKey,
  type ClusterPki,
  generateCa,
  generateClusterPki,
  issueAdminClientCert,
} from "./pki.js";
import { checkPkiSecret, type PkiPart, type PkiSecret, pkiFromSecrets, pkiToSecrets } from "./pki-secrets.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");

function bySuffix(secrets: PkiSecret[]): Record<PkiPart, PkiSecret> {
  const find = (suffix: string) =>
    secrets.find((s) => s.metadata.name === `c1-${suffix}`) ?? expect.fail(suffix);
  return { ca: find("ca"), etcd: find("etcd"), frontProxy: find("proxy"), serviceAccount: find("sa") };
}

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    return [...(error as InvalidConfigurationError).errors];
  }
  return expect.fail("expected an InvalidConfigurationError");
}

describe("PKI Secrets", () => {
  let pki: ClusterPki;
  let admin: CertAndKey;
  let otherCa: CertAndKey;
  beforeAll(async () => {
    pki = await generateClusterPki();
    admin = await issueAdminClientCert(pki.ca);
    otherCa = await generateCa("kubernetes", "ecdsa-p256", new Date());
  });

  it("maps the PKI onto the four Cluster API Secrets", () => {
    const secrets = pkiToSecrets("c1", "ns1", pki);
    expect(secrets.map((s) => s.metadata.name)).toEqual(["c1-ca", "c1-etcd", "c1-proxy", "c1-sa"]);
    for (const secret of secrets) {
      expect(secret.type).toBe("cluster.x-k8s.io/secret");
      expect(secret.metadata.namespace).toBe("ns1");
      expect(secret.metadata.labels).toEqual({ "cluster.k8s.io/cluster-name": "c1" });
      expect(Object.keys(secret.data ?? {}).sort()).toEqual(["tls.crt", "tls.key"]);
    }
    const sa = bySuffix(secrets).serviceAccount;
    expect(Buffer.from(sa.data?.["tls.crt"] ?? "", "base64").toString()).toBe(pki.serviceAccount.publicKey);
  });

  it("reads back exactly what it wrote", () => {
    expect(pkiFromSecrets("c1", bySuffix(pkiToSecrets("c1", "ns1", pki)))).toEqual(pki);
  });

  it("accepts a user's own CA pair (bring your own CA)", () => {
    const secrets = bySuffix(pkiToSecrets("c1", "ns1", pki));
    secrets.ca.data = { "tls.crt": b64(otherCa.cert), "tls.key": b64(otherCa.key) };
    expect(pkiFromSecrets("c1", secrets).ca).toEqual(otherCa);
  });

  it("checks one Secret on its own, so a user's CA can be mixed with generated parts", () => {
    const secrets = bySuffix(pkiToSecrets("c1", "ns1", pki));
    expect(checkPkiSecret("ca", secrets.ca)).toEqual({ pair: pki.ca, problems: [] });
    secrets.ca.data = { "tls.crt": b64(admin.cert), "tls.key": b64(admin.key) };
    expect(checkPkiSecret("ca", secrets.ca).pair).toBeUndefined();
    expect(checkPkiSecret("ca", secrets.ca).problems).toHaveLength(1);
  });

  it("refuses a certificate that is not a CA, naming the Secret", () => {
    const secrets = bySuffix(pkiToSecrets("c1", "ns1", pki));
    secrets.ca.data = { "tls.crt": b64(admin.cert), "tls.key": b64(admin.key) };
    expect(problemsOf(() => pkiFromSecrets("c1", secrets))).toEqual([
      "Secret ns1/c1-ca: data.tls.crt is not a CA certificate (basicConstraints CA:TRUE missing)",
    ]);
  });

  it("refuses a key that belongs to another certificate", () => {
    const secrets = bySuffix(pkiToSecrets("c1", "ns1", pki));
    secrets.etcd.data = { "tls.crt": b64(pki.etcd.cert), "tls.key": b64(otherCa.key) };
    secrets.serviceAccount.data = {
      "tls.crt": b64(pki.serviceAccount.publicKey),
      "tls.key": b64(pki.ca.key),
    };
    expect(problemsOf(() => pkiFromSecrets("c1", secrets))).toEqual([
      "Secret ns1/c1-etcd: data.tls.key does not belong to data.tls.crt",
      "Secret ns1/c1-sa: data.tls.key does not belong to the public key in data.tls.crt",
    ]);
  });

  it("reports missing Secrets, missing keys and unreadable PEM all at once", () => {
    const secrets: Partial<Record<PkiPart, PkiSecret>> = bySuffix(pkiToSecrets("c1", "ns1", pki));
    delete secrets.frontProxy;
    if (secrets.ca) secrets.ca.data = { "tls.crt": b64("not a certificate"), "tls.key": b64(pki.ca.key) };
    if (secrets.etcd) secrets.etcd.data = { "tls.crt": b64(pki.etcd.cert) };
    if (secrets.serviceAccount) {
      secrets.serviceAccount.data = {
        "tls.crt": b64(pki.serviceAccount.publicKey),
        "tls.key": b64("garbage"),
      };
    }
    expect(problemsOf(() => pkiFromSecrets("c1", secrets))).toEqual([
      "Secret ns1/c1-ca: data.tls.crt is not a PEM certificate",
      "Secret ns1/c1-etcd: data.tls.key is missing",
      "Secret c1-proxy: missing",
      "Secret ns1/c1-sa: data.tls.key is not an unencrypted PEM private key",
    ]);
  });

  it("refuses an expired CA", () => {
    const secrets = bySuffix(pkiToSecrets("c1", "ns1", pki));
    const later = new Date(Date.now() + 11 * 365 * 24 * 60 * 60 * 1000);
    const problems = problemsOf(() => pkiFromSecrets("c1", secrets, later));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^Secret ns1\/c1-ca: data\.tls\.crt expired on /);
  });

  it("never puts key material into its error messages", () => {
    const secrets = bySuffix(pkiToSecrets("c1", "ns1", pki));
    secrets.etcd.data = { "tls.crt": b64(pki.etcd.cert), "tls.key": b64(otherCa.key) };
    try {
      pkiFromSecrets("c1", secrets);
      expect.fail("expected an error");
    } catch (error) {
      expect(String((error as Error).message)).not.toMatch(/PRIVATE KEY|BEGIN/);
    }
  });
});
