import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeKubeconfig } from "./kubeconfig.js";
import { loadOrCreateToken } from "./private-files.js";
import { ObjectStore } from "./store.js";

const mode = (path: string) => statSync(path).mode & 0o777;
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cf-private-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the data directory is private", () => {
  it("creates the directory 0700 and the database, WAL and SHM files 0600 whatever the umask", () => {
    const previous = process.umask(0o022);
    try {
      const dataDir = join(tempDir(), "data");
      const store = new ObjectStore(dataDir);
      store.commit([
        {
          type: "ADDED",
          key: "core/secrets",
          object: { metadata: { name: "s", namespace: "default" }, data: { password: "c2VjcmV0" } },
        },
      ]);
      expect(mode(dataDir)).toBe(0o700);
      for (const file of ["objects.sqlite", "objects.sqlite-wal", "objects.sqlite-shm"])
        expect(mode(join(dataDir, file)), file).toBe(0o600);
      store.close();
    } finally {
      process.umask(previous);
    }
  });

  it("tightens a directory and files left readable by an older version", () => {
    const dataDir = join(tempDir(), "data");
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    new ObjectStore(dataDir).close();
    for (const file of ["objects.sqlite", "tls.crt"]) {
      writeFileSync(join(dataDir, file), "", { flag: "a" });
      chmodSync(join(dataDir, file), 0o644);
    }
    const store = new ObjectStore(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, "tls.crt"))).toBe(0o600);
    expect(mode(join(dataDir, "objects.sqlite"))).toBe(0o600);
    expect(mode(join(dataDir, "objects.sqlite-wal"))).toBe(0o600);
    store.close();
  });

  it("keeps the token across restarts of the same data dir, in a 0600 file", () => {
    const dataDir = tempDir();
    const token = loadOrCreateToken(dataDir);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(loadOrCreateToken(dataDir)).toBe(token);
    expect(mode(join(dataDir, "token"))).toBe(0o600);
    expect(loadOrCreateToken(tempDir())).not.toBe(token);
  });

  it("makes an existing kubeconfig 0600 before writing the token into it", () => {
    const path = join(tempDir(), "kubeconfig");
    writeFileSync(path, "old");
    chmodSync(path, 0o644);
    writeKubeconfig(path, "https://127.0.0.1:1", "tok", "CERT");
    expect(mode(path)).toBe(0o600);
  });
});
