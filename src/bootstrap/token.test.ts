import { createHash, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateCa } from "./pki.js";
import { BOOTSTRAP_TOKEN_PATTERN, caCertHash, generateBootstrapToken } from "./token.js";

describe("generateBootstrapToken", () => {
  it("makes kubeadm-shaped tokens that differ every time", () => {
    const tokens = Array.from({ length: 200 }, () => generateBootstrapToken().token);
    for (const token of tokens) expect(token).toMatch(BOOTSTRAP_TOKEN_PATTERN);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("uses every character of the alphabet (no stuck positions)", () => {
    const seen = new Set(
      Array.from({ length: 400 }, () => generateBootstrapToken().secret)
        .join("")
        .split(""),
    );
    expect(seen.size).toBe(36);
  });

  it("gives the TTL as a Go duration and the expiry from now", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const token = generateBootstrapToken({ ttlSeconds: 90_061, now });
    expect(token.ttl).toBe("25h1m1s");
    expect(token.expires.toISOString()).toBe("2026-01-02T01:01:01.000Z");
    expect(generateBootstrapToken().ttl).toBe("24h0m0s");
  });

  it("refuses a TTL that is not a positive whole number of seconds", () => {
    expect(() => generateBootstrapToken({ ttlSeconds: 0 })).toThrow(/positive whole number/);
    expect(() => generateBootstrapToken({ ttlSeconds: 1.5 })).toThrow(/positive whole number/);
  });
});

describe("caCertHash", () => {
  it("is sha256 of the CA's SubjectPublicKeyInfo, not of the certificate", async () => {
    const ca = await generateCa("kubernetes", "ecdsa-p256", new Date());
    const cert = new X509Certificate(ca.cert);
    const spki = cert.publicKey.export({ type: "spki", format: "der" });
    const hash = caCertHash(ca.cert);
    expect(hash).toBe(`sha256:${createHash("sha256").update(spki).digest("hex")}`);
    expect(hash).not.toBe(`sha256:${createHash("sha256").update(cert.raw).digest("hex")}`);
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
