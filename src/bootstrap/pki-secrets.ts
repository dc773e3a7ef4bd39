import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import { CLUSTER_NAME_LABEL } from "../api/meta.js";
import { InvalidConfigurationError } from "../errors.js";
import { type CertAndKey, type ClusterPki, keyAlgorithmOf, type ServiceAccountKeys } from "./pki.js";

/**
 * The PKI as Secrets (the Cluster API convention the v1alpha1 providers and
 * later kubeadm bootstrap followed): `<cluster>-ca`, `<cluster>-etcd`,
 * `<cluster>-proxy`, `<cluster>-sa`, keys `tls.crt` / `tls.key`. The sa
 * Secret's `tls.crt` holds the service-account public key, not a certificate.
 * A Secret of that name that already exists is the user's own CA and is
 * used as it is, after the checks below.
 */
export const CLUSTER_SECRET_TYPE = "cluster.x-k8s.io/secret";

export type PkiPart = keyof ClusterPki;

export const PKI_SECRET_SUFFIXES: Record<PkiPart, string> = {
  ca: "ca",
  etcd: "etcd",
  frontProxy: "proxy",
  serviceAccount: "sa",
};

export const PKI_PARTS: readonly PkiPart[] = ["ca", "etcd", "frontProxy", "serviceAccount"];

/** The shape of a core/v1 Secret this module reads and writes. */
export interface PkiSecret {
  apiVersion: "v1";
  kind: "Secret";
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  type?: string;
  /** base64 values, as the API server returns them. */
  data?: Record<string, string>;
}

export function pkiSecretName(clusterName: string, part: PkiPart): string {
  return `${clusterName}-${PKI_SECRET_SUFFIXES[part]}`;
}

/**
 * The Secrets for the parts of a generated PKI given (all four for a whole
 * PKI; only the generated ones beside a user's CA), labelled with the
 * cluster name. Owner references are the controller's business (it knows
 * the Cluster's uid).
 */
export function pkiToSecrets(clusterName: string, namespace: string, pki: Partial<ClusterPki>): PkiSecret[] {
  return PKI_PARTS.flatMap((part) => {
    const pair = pairOf(pki, part);
    if (!pair) return [];
    const secret: PkiSecret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: pkiSecretName(clusterName, part),
        namespace,
        labels: { [CLUSTER_NAME_LABEL]: clusterName },
      },
      type: CLUSTER_SECRET_TYPE,
      data: { "tls.crt": base64(pair.cert), "tls.key": base64(pair.key) },
    };
    return [secret];
  });
}

/**
 * The cluster PKI read back from its four Secrets (generated earlier, or the
 * user's own), each checked: the certificate parses, is a CA, is valid now,
 * and the key is RSA or ECDSA P-256 and belongs to it. Every problem of
 * every Secret is reported at once in one InvalidConfigurationError, each
 * naming the Secret and key.
 */
export function pkiFromSecrets(
  clusterName: string,
  secrets: Partial<Record<PkiPart, PkiSecret>>,
  now: Date = new Date(),
): ClusterPki {
  const problems: string[] = [];
  const read: Partial<Record<PkiPart, CertAndKey>> = {};
  for (const part of PKI_PARTS) {
    const secret = secrets[part];
    if (!secret) {
      problems.push(`Secret ${pkiSecretName(clusterName, part)}: missing`);
      continue;
    }
    const checked = checkPkiSecret(part, secret, now);
    problems.push(...checked.problems);
    if (checked.pair) read[part] = checked.pair;
  }
  if (problems.length > 0 || !read.ca || !read.etcd || !read.frontProxy || !read.serviceAccount) {
    throw new InvalidConfigurationError(
      `cluster ${clusterName}: the PKI Secrets cannot be used: ${problems.join("; ")}`,
      problems,
    );
  }
  const sa: ServiceAccountKeys = { publicKey: read.serviceAccount.cert, key: read.serviceAccount.key };
  return { ca: read.ca, etcd: read.etcd, frontProxy: read.frontProxy, serviceAccount: sa };
}

/**
 * One PKI Secret checked on its own (the controller may find the user's CA
 * but generate the rest): its pair when usable, every problem otherwise.
 * For `serviceAccount`, `pair.cert` is the public key PEM.
 */
export function checkPkiSecret(
  part: PkiPart,
  secret: PkiSecret,
  now: Date = new Date(),
): { pair?: CertAndKey; problems: string[] } {
  const problems: string[] = [];
  const where = `Secret ${secret.metadata.namespace ? `${secret.metadata.namespace}/` : ""}${secret.metadata.name}`;
  const found = readPair(secret, where, problems);
  if (!found) return { problems };
  if (part === "serviceAccount") checkServiceAccountPair(found, where, problems);
  else checkCaPair(found, where, now, problems);
  return problems.length === 0 ? { pair: found, problems } : { problems };
}

function pairOf(pki: Partial<ClusterPki>, part: PkiPart): CertAndKey | undefined {
  if (part !== "serviceAccount") return pki[part];
  const sa = pki.serviceAccount;
  return sa ? { cert: sa.publicKey, key: sa.key } : undefined;
}

function readPair(secret: PkiSecret, where: string, problems: string[]): CertAndKey | undefined {
  const cert = decodeKey(secret, "tls.crt", where, problems);
  const key = decodeKey(secret, "tls.key", where, problems);
  return cert !== undefined && key !== undefined ? { cert, key } : undefined;
}

function decodeKey(secret: PkiSecret, key: string, where: string, problems: string[]): string | undefined {
  const value = secret.data?.[key];
  if (value === undefined || value === "") {
    problems.push(`${where}: data.${key} is missing`);
    return undefined;
  }
  return Buffer.from(value, "base64").toString("utf8");
}

function checkCaPair(pair: CertAndKey, where: string, now: Date, problems: string[]): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pair.cert);
  } catch {
    problems.push(`${where}: data.tls.crt is not a PEM certificate`);
    return;
  }
  if (!cert.ca)
    problems.push(`${where}: data.tls.crt is not a CA certificate (basicConstraints CA:TRUE missing)`);
  if (Date.parse(cert.validTo) <= now.getTime())
    problems.push(`${where}: data.tls.crt expired on ${cert.validTo}`);
  if (Date.parse(cert.validFrom) > now.getTime()) {
    problems.push(`${where}: data.tls.crt is not valid before ${cert.validFrom}`);
  }
  const key = parsePrivateKey(pair.key, where, problems);
  if (!key) return;
  if (!supported(key, where, problems)) return;
  if (!cert.checkPrivateKey(key)) problems.push(`${where}: data.tls.key does not belong to data.tls.crt`);
}

function checkServiceAccountPair(pair: CertAndKey, where: string, problems: string[]): void {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(pair.cert);
  } catch {
    problems.push(`${where}: data.tls.crt is not a PEM public key`);
    return;
  }
  const key = parsePrivateKey(pair.key, where, problems);
  if (!key || !supported(key, where, problems)) return;
  const fromKey = createPublicKey(key).export({ type: "spki", format: "der" });
  if (!fromKey.equals(publicKey.export({ type: "spki", format: "der" }))) {
    problems.push(`${where}: data.tls.key does not belong to the public key in data.tls.crt`);
  }
}

function parsePrivateKey(pem: string, where: string, problems: string[]): KeyObject | undefined {
  try {
    return createPrivateKey(pem);
  } catch {
    problems.push(`${where}: data.tls.key is not an unencrypted PEM private key`);
    return undefined;
  }
}

function supported(key: KeyObject, where: string, problems: string[]): boolean {
  try {
    keyAlgorithmOf(key);
    return true;
  } catch (error) {
    problems.push(`${where}: data.tls.key: ${(error as Error).message}`);
    return false;
  }
}

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}
