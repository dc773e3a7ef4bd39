/**
 * The server's TLS identity. kubectl (client-go) only sends a bearer token
 * over TLS, so the server serves HTTPS with a self-signed certificate kept in
 * the data dir and handed to clients as certificate-authority-data.
 */
import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import { generate } from "selfsigned";
import { writePrivateFile } from "./private-files.js";

export interface TlsIdentity {
  cert: string;
  key: string;
}

function altNames(host: string) {
  const names = new Set(["localhost", "127.0.0.1", "::1", host]);
  return [...names]
    .filter(Boolean)
    .map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name }));
}

/** Loads the certificate for `host` from the data dir, or creates one valid for ten years. */
export async function loadOrCreateTls(dataDir: string, host: string): Promise<TlsIdentity> {
  const certPath = join(dataDir, "tls.crt");
  const keyPath = join(dataDir, "tls.key");
  const hostsPath = join(dataDir, "tls.hosts");
  if (existsSync(certPath) && existsSync(keyPath) && existsSync(hostsPath)) {
    const hosts = readFileSync(hostsPath, "utf8").split("\n");
    if (hosts.includes(host))
      return { cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8") };
  }
  const notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  const pems = await generate([{ name: "commonName", value: "clusterform-control-plane" }], {
    keyType: "ec",
    curve: "P-256",
    notAfterDate: notAfter,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: altNames(host) },
    ],
  });
  writePrivateFile(keyPath, pems.private);
  writePrivateFile(certPath, pems.cert);
  writePrivateFile(hostsPath, ["localhost", "127.0.0.1", "::1", host].join("\n"));
  return { cert: pems.cert, key: pems.private };
}
