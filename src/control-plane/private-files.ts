/**
 * The data directory holds Secret values (in SQLite and its WAL), the TLS key
 * and the bearer token, so it is private to its owner: the directory 0700,
 * every file in it 0600. Modes are set when files are created (whatever the
 * umask) and tightened at every start, for directories made by older versions.
 */

import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

/** Creates the directory if needed and makes it and every regular file directly in it private. */
export function makeDataDirPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: privateDirMode });
  chmodSync(dir, privateDirMode);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) chmodSync(join(dir, entry.name), privateFileMode);
  }
}

/**
 * Creates `path` empty with mode 0600 unless it exists, then forces 0600.
 * SQLite creates its -wal and -shm files with the database file's mode, so
 * touching the database this way first keeps all three private.
 */
export function touchPrivate(path: string): void {
  closeSync(openSync(path, "a", privateFileMode));
  chmodSync(path, privateFileMode);
}

/** Writes `content` to `path` with mode 0600, also when the file already existed with another mode. */
export function writePrivateFile(path: string, content: string): void {
  if (existsSync(path)) chmodSync(path, privateFileMode);
  writeFileSync(path, content, { mode: privateFileMode });
  chmodSync(path, privateFileMode);
}

/**
 * The bearer token kept in the data dir, so a kubeconfig written by an earlier
 * run of the same data dir keeps working; generated on first use.
 */
export function loadOrCreateToken(dataDir: string): string {
  const path = join(dataDir, "token");
  if (existsSync(path) && statSync(path).isFile()) {
    const stored = readFileSync(path, "utf8").trim();
    if (stored) return stored;
  }
  const token = randomBytes(24).toString("base64url");
  writePrivateFile(path, `${token}\n`);
  return token;
}
