import { createPrivateKey, generateKeyPair, type KeyObject, webcrypto, X509Certificate } from "node:crypto";
import { promisify } from "node:util";
import * as x509 from "@peculiar/x509";

/**
 * The cluster's PKI, generated once per Cluster by the controller (or brought
 * by the user, see pki-secrets.ts): three CAs and the service-account signing
 * key pair, exactly the shared material kubeadm expects in
 * /etc/kubernetes/pki on every control-plane machine. kubeadm derives all
 * leaf certificates (apiserver, etcd peers, ...) from these on the machine.
 */
export type KeyAlgorithm = "ecdsa-p256" | "rsa-2048";

/** PEM texts: `cert` a certificate, `key` its private key. */
export interface CertAndKey {
  cert: string;
  key: string;
}

export interface ServiceAccountKeys {
  /** PKIX `PUBLIC KEY` PEM, kubeadm's sa.pub. */
  publicKey: string;
  key: string;
}

export interface ClusterPki {
  /** Signs the API server's and every kubelet's certificates; its hash pins joins. */
  ca: CertAndKey;
  etcd: CertAndKey;
  frontProxy: CertAndKey;
  serviceAccount: ServiceAccountKeys;
}

export const CA_VALIDITY_DAYS = 3650;
export const ADMIN_CERT_VALIDITY_DAYS = 365;
/** Backdating absorbs clock skew between the controller and freshly booted machines. */
const BACKDATE_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The common names kubeadm itself gives these CAs, so its tooling and docs apply unchanged. */
export const CA_COMMON_NAMES = {
  ca: "kubernetes",
  etcd: "etcd-ca",
  frontProxy: "front-proxy-ca",
} as const;

export const ADMIN_COMMON_NAME = "kubernetes-admin";
export const ADMIN_ORGANIZATION = "system:masters";

const generateKeyPairAsync = promisify(generateKeyPair);

export async function generateClusterPki(
  options: { algorithm?: KeyAlgorithm; now?: Date } = {},
): Promise<ClusterPki> {
  const algorithm = options.algorithm ?? "ecdsa-p256";
  const now = options.now ?? new Date();
  const [ca, etcd, frontProxy, serviceAccount] = await Promise.all([
    generateCa(CA_COMMON_NAMES.ca, algorithm, now),
    generateCa(CA_COMMON_NAMES.etcd, algorithm, now),
    generateCa(CA_COMMON_NAMES.frontProxy, algorithm, now),
    generateServiceAccountKeys(algorithm),
  ]);
  return { ca, etcd, frontProxy, serviceAccount };
}

/** A self-signed CA certificate valid ~10 years, with kubeadm's CA extensions. */
export async function generateCa(
  commonName: string,
  algorithm: KeyAlgorithm,
  now: Date,
): Promise<CertAndKey> {
  const keys = await newKeyPair(algorithm);
  const signing = await toWebCryptoPair(keys, algorithm);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: distinguishedName({ CN: commonName }),
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
      signingAlgorithm: signingAlgorithmFor(algorithm),
      keys: signing,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(caKeyUsages(algorithm), true),
        await x509.SubjectKeyIdentifierExtension.create(signing.publicKey),
      ],
    },
    webcrypto as unknown as Crypto,
  );
  return { cert: cert.toString("pem"), key: exportPrivateKey(keys.privateKey) };
}

/**
 * The workload cluster's admin client certificate (CN kubernetes-admin,
 * O system:masters, clientAuth, 1 year), signed by the cluster CA, with a
 * fresh key of the CA's algorithm.
 */
export async function issueAdminClientCert(
  ca: CertAndKey,
  options: { now?: Date } = {},
): Promise<CertAndKey> {
  const now = options.now ?? new Date();
  const caCert = new X509Certificate(ca.cert);
  const algorithm = keyAlgorithmOf(caCert.publicKey);
  const keys = await newKeyPair(algorithm);
  const subject = await toWebCryptoPair(keys, algorithm);
  const caSigningKey = await importPrivateKey(ca.key, algorithm);
  const issuer = new x509.X509Certificate(ca.cert);
  const notAfter = Math.min(now.getTime() + ADMIN_CERT_VALIDITY_DAYS * DAY_MS, Date.parse(caCert.validTo));
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: distinguishedName({ CN: ADMIN_COMMON_NAME, O: ADMIN_ORGANIZATION }),
      // The CA's encoded name as it is: a re-encoded string could stop matching a brought CA byte for byte.
      issuer: issuer.subjectName,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(notAfter),
      signingAlgorithm: signingAlgorithmFor(algorithm),
      publicKey: subject.publicKey,
      signingKey: caSigningKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(leafKeyUsages(algorithm), true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
        await x509.AuthorityKeyIdentifierExtension.create(
          issuer.publicKey,
          false,
          webcrypto as unknown as Crypto,
        ),
      ],
    },
    webcrypto as unknown as Crypto,
  );
  return { cert: cert.toString("pem"), key: exportPrivateKey(keys.privateKey) };
}

/**
 * True once a client certificate has used up half its lifetime (Cluster
 * API renews its kubeconfig certificates on the same rule), or is not valid
 * at `now` at all: renewal then happens months before expiry, never at the
 * last minute.
 */
export function needsRenewal(certPem: string, now: Date = new Date()): boolean {
  const cert = new X509Certificate(certPem);
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  const renewAt = from + (to - from) / 2;
  return now.getTime() >= renewAt || now.getTime() < from;
}

/** The algorithm of an RSA or ECDSA P-256 public key; anything else is unsupported. */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm {
  if (key.asymmetricKeyType === "rsa") return "rsa-2048";
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1")
    return "ecdsa-p256";
  const detail = key.asymmetricKeyDetails?.namedCurve ?? "";
  throw new TypeError(
    `unsupported key type ${key.asymmetricKeyType ?? "unknown"}${detail ? ` (${detail})` : ""}: use RSA or ECDSA P-256`,
  );
}

/** The service-account token signing key pair (kubeadm's sa.key / sa.pub). */
export async function generateServiceAccountKeys(algorithm: KeyAlgorithm): Promise<ServiceAccountKeys> {
  const keys = await newKeyPair(algorithm);
  return {
    publicKey: keys.publicKey.export({ type: "spki", format: "pem" }).toString(),
    key: exportPrivateKey(keys.privateKey),
  };
}

interface NodeKeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

function newKeyPair(algorithm: KeyAlgorithm): Promise<NodeKeyPair> {
  return algorithm === "rsa-2048"
    ? generateKeyPairAsync("rsa", { modulusLength: 2048 })
    : generateKeyPairAsync("ec", { namedCurve: "prime256v1" });
}

/**
 * Classic PEM encodings (PKCS#1 `RSA PRIVATE KEY`, SEC1 `EC PRIVATE KEY`):
 * what kubeadm writes itself and what every kubeadm release reads.
 */
function exportPrivateKey(key: KeyObject): string {
  const type = key.asymmetricKeyType === "rsa" ? "pkcs1" : "sec1";
  return key.export({ type, format: "pem" }).toString();
}

function importParams(algorithm: KeyAlgorithm): RsaHashedImportParams | EcKeyImportParams {
  return algorithm === "rsa-2048"
    ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
    : { name: "ECDSA", namedCurve: "P-256" };
}

function signingAlgorithmFor(algorithm: KeyAlgorithm): Algorithm | EcdsaParams {
  return algorithm === "rsa-2048" ? { name: "RSASSA-PKCS1-v1_5" } : { name: "ECDSA", hash: "SHA-256" };
}

async function toWebCryptoPair(keys: NodeKeyPair, algorithm: KeyAlgorithm): Promise<CryptoKeyPair> {
  const params = importParams(algorithm);
  const [publicKey, privateKey] = await Promise.all([
    webcrypto.subtle.importKey("spki", keys.publicKey.export({ type: "spki", format: "der" }), params, true, [
      "verify",
    ]),
    webcrypto.subtle.importKey(
      "pkcs8",
      keys.privateKey.export({ type: "pkcs8", format: "der" }),
      params,
      false,
      ["sign"],
    ),
  ]);
  return { publicKey, privateKey } as CryptoKeyPair;
}

async function importPrivateKey(pem: string, algorithm: KeyAlgorithm): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ type: "pkcs8", format: "der" });
  return (await webcrypto.subtle.importKey("pkcs8", der, importParams(algorithm), false, [
    "sign",
  ])) as CryptoKey;
}

function caKeyUsages(algorithm: KeyAlgorithm): number {
  return x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | leafKeyUsages(algorithm);
}

/** keyEncipherment only means something for RSA keys. */
function leafKeyUsages(algorithm: KeyAlgorithm): number {
  return algorithm === "rsa-2048"
    ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
    : x509.KeyUsageFlags.digitalSignature;
}

/** A positive 128-bit serial (high bit cleared: DER integers are signed). */
function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString("hex");
}

/** Our own fixed attribute values only: no user string reaches a certificate name. */
function distinguishedName(attributes: { CN: string; O?: string }): x509.JsonName {
  return [{ CN: [attributes.CN] }, ...(attributes.O ? [{ O: [attributes.O] }] : [])];
}
