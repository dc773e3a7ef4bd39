import { createHash, randomInt, X509Certificate } from "node:crypto";

/**
 * A kubeadm bootstrap token: `<id>.<secret>`, 6 + 16 characters of
 * [a-z0-9] (kubeadm's format; the id is public, the secret is not).
 */
export interface BootstrapToken {
  id: string;
  secret: string;
  /** `id.secret`, what kubeadm's `token` fields take. */
  token: string;
  /** As kubeadm's `ttl` field wants it, e.g. `24h0m0s`. */
  ttl: string;
  /** When the token stops working; the controller issues a fresh one for later joiners. */
  expires: Date;
}

export const BOOTSTRAP_TOKEN_PATTERN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;

/** kubeadm's own default token lifetime. */
export const DEFAULT_TOKEN_TTL_SECONDS = 24 * 60 * 60;

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A fresh token from the operating system's CSPRNG (randomInt: no modulo bias). */
export function generateBootstrapToken(options: { ttlSeconds?: number; now?: Date } = {}): BootstrapToken {
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`bootstrap token TTL must be a positive whole number of seconds, got ${ttlSeconds}`);
  }
  const id = randomChars(6);
  const secret = randomChars(16);
  const now = options.now ?? new Date();
  return {
    id,
    secret,
    token: `${id}.${secret}`,
    ttl: formatGoDuration(ttlSeconds),
    expires: new Date(now.getTime() + ttlSeconds * 1000),
  };
}

/**
 * kubeadm's discovery hash: `sha256:` + hex SHA-256 of the CA certificate's
 * DER-encoded SubjectPublicKeyInfo (what `kubeadm token create
 * --print-join-command` prints), so a joining node can pin the CA.
 */
export function caCertHash(caCertPem: string): string {
  const spki = new X509Certificate(caCertPem).publicKey.export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(spki).digest("hex")}`;
}

function randomChars(count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** Go's time.Duration text (`24h0m0s`), which every kubeadm API version parses. */
export function formatGoDuration(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${hours}h${minutes}m${seconds}s`;
}
