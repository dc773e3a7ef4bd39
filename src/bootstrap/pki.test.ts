import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type CertAndKey,
  type ClusterPki,
  generateClusterPki,
  issueAdminClientCert,
  type KeyAlgorithm,
  needsRenewal,
} from "./pki.js";

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date("2026-03-01T12:00:00Z");

describe.each<KeyAlgorithm>(["ecdsa-p256", "rsa-2048"])("cluster PKI (%s)", (algorithm) => {
  let pki: ClusterPki;
  let admin: CertAndKey;
  beforeAll(async () => {
    pki = await generateClusterPki({ algorithm, now: NOW });
    admin = await issueAdminClientCert(pki.ca, { now: NOW });
  }, 120_000);

  it("makes three distinct self-signed CAs valid for about ten years, with kubeadm's names", () => {
    const names = { ca: "CN=kubernetes", etcd: "CN=etcd-ca", frontProxy: "CN=front-proxy-ca" } as const;
    for (const part of ["ca", "etcd", "frontProxy"] as const) {
      const cert = new X509Certificate(pki[part].cert);
      expect(cert.ca).toBe(true);
      expect(cert.subject).toBe(names[part]);
      expect(cert.issuer).toBe(cert.subject);
      expect(cert.verify(cert.publicKey)).toBe(true);
      expect(cert.checkPrivateKey(createPrivateKey(pki[part].key))).toBe(true);
      const years = (Date.parse(cert.validTo) - NOW.getTime()) / (365 * DAY);
      expect(years).toBeGreaterThan(9.9);
      expect(years).toBeLessThan(10.1);
      const parsed = new x509.X509Certificate(pki[part].cert);
      const constraints = parsed.getExtension(x509.BasicConstraintsExtension);
      expect(constraints?.ca).toBe(true);
      expect(constraints?.critical).toBe(true);
      const usages = parsed.getExtension(x509.KeyUsagesExtension);
      expect(usages?.critical).toBe(true);
      expect((usages?.usages ?? 0) & x509.KeyUsageFlags.keyCertSign).toBeTruthy();
      expect((usages?.usages ?? 0) & x509.KeyUsageFlags.digitalSignature).toBeTruthy();
    }
    expect(new Set([pki.ca.cert, pki.etcd.cert, pki.frontProxy.cert]).size).toBe(3);
  });

  it("uses the chosen algorithm for every key, in PEM encodings kubeadm reads", () => {
    const keyHeader = algorithm === "rsa-2048" ? "RSA PRIVATE KEY" : "EC PRIVATE KEY";
    for (const key of [pki.ca.key, pki.etcd.key, pki.frontProxy.key, pki.serviceAccount.key, admin.key]) {
      expect(key).toContain(`-----BEGIN ${keyHeader}-----`);
    }
    const caKey = new X509Certificate(pki.ca.cert).publicKey;
    expect(caKey.asymmetricKeyType).toBe(algorithm === "rsa-2048" ? "rsa" : "ec");
    if (algorithm === "rsa-2048") expect(caKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    else expect(caKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
  });

  it("makes a service-account key pair whose public half matches", () => {
    expect(pki.serviceAccount.publicKey).toContain("-----BEGIN PUBLIC KEY-----");
    const fromPrivate = createPublicKey(pki.serviceAccount.key).export({ type: "spki", format: "der" });
    const published = createPublicKey(pki.serviceAccount.publicKey).export({ type: "spki", format: "der" });
    expect(fromPrivate.equals(published)).toBe(true);
  });

  it("issues an admin client certificate signed by the cluster CA for one year", () => {
    const cert = new X509Certificate(admin.cert);
    const ca = new X509Certificate(pki.ca.cert);
    expect(cert.subject.split("\n").sort()).toEqual(["CN=kubernetes-admin", "O=system:masters"]);
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]); // clientAuth only
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.verify(new X509Certificate(pki.etcd.cert).publicKey)).toBe(false);
    const days = (Date.parse(cert.validTo) - NOW.getTime()) / DAY;
    expect(Math.round(days)).toBe(365);
  });

  it("says the admin certificate needs renewal half-way through its life, well before expiry", () => {
    expect(needsRenewal(admin.cert, NOW)).toBe(false);
    expect(needsRenewal(admin.cert, new Date(NOW.getTime() + 150 * DAY))).toBe(false);
    expect(needsRenewal(admin.cert, new Date(NOW.getTime() + 185 * DAY))).toBe(true);
    expect(needsRenewal(admin.cert, new Date(NOW.getTime() + 400 * DAY))).toBe(true);
    expect(needsRenewal(admin.cert, new Date(NOW.getTime() - 2 * DAY))).toBe(true);
  });
});

it("defaults to ECDSA P-256", async () => {
  const pki = await generateClusterPki();
  expect(new X509Certificate(pki.ca.cert).publicKey.asymmetricKeyType).toBe("ec");
});
