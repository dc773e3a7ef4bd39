import { chmod, mkdir, readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type {
  BootstrapChanges,
  BootstrapStore,
  CertAndKey,
  ClusterPki,
  StoredBootstrap,
  StoredToken,
} from "../../bootstrap/index.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import {
  BOOTSTRAP_DIR_MODE,
  BOOTSTRAP_FILE_MODE,
  bootstrapDir,
  initMachineFile,
  kubeconfigFile,
} from "./file-layout.js";

/**
 * File mode's BootstrapStore: the cluster's PKI, init machine, token, each
 * Machine's cloud-config and the kubeconfig as 0600 files in 0700
 * directories under `<workDir>/bootstrap/` (what the controller keeps in
 * Secrets and an annotation). Only new parts are written; kept files are
 * never rewritten, as prepareBootstrap's contract asks.
 *
 *   pki/{ca,etcd,front-proxy}.{crt,key}, pki/sa.{pub,key}
 *   init-machine, token.json, machines/<machine>.cloud-config, kubeconfig
 */
const CA_FILES: Record<Exclude<keyof ClusterPki, "serviceAccount">, string> = {
  ca: "ca",
  etcd: "etcd",
  frontProxy: "front-proxy",
};
const CLOUD_CONFIG_SUFFIX = ".cloud-config";

export class FileBootstrapStore implements BootstrapStore {
  private readonly dir: string;

  /** `workDir`: the cluster's private working directory (clusterWorkDir). */
  constructor(private readonly workDir: string) {
    this.dir = bootstrapDir(workDir);
  }

  async load(): Promise<StoredBootstrap> {
    const pki: Partial<ClusterPki> = {};
    for (const [part, base] of Object.entries(CA_FILES) as [keyof typeof CA_FILES, string][]) {
      const pair = await this.readPair(`${base}.crt`, `${base}.key`);
      if (pair) pki[part] = pair;
    }
    const sa = await this.readPair("sa.pub", "sa.key");
    if (sa) pki.serviceAccount = { publicKey: sa.cert, key: sa.key };
    const initMachine =
      (await this.read(relative(this.dir, initMachineFile(this.workDir))))?.trim() || undefined;
    const token = parseToken(await this.read("token.json"));
    const kubeconfig = await this.read(relative(this.dir, kubeconfigFile(this.workDir)));
    return {
      pki,
      machineData: await this.readMachineData(),
      ...(initMachine ? { initMachine } : {}),
      ...(token ? { token } : {}),
      ...(kubeconfig !== undefined ? { kubeconfig } : {}),
    };
  }

  async save(changes: BootstrapChanges): Promise<void> {
    for (const [part, base] of Object.entries(CA_FILES) as [keyof typeof CA_FILES, string][]) {
      const pair = changes.pki[part];
      if (pair) await this.writePair(`${base}.crt`, `${base}.key`, pair);
    }
    const sa = changes.pki.serviceAccount;
    if (sa) await this.writePair("sa.pub", "sa.key", { cert: sa.publicKey, key: sa.key });
    if (changes.initMachine)
      await this.write(relative(this.dir, initMachineFile(this.workDir)), `${changes.initMachine}\n`);
    if (changes.token) await this.write("token.json", `${JSON.stringify(changes.token)}\n`);
    for (const [machine, text] of changes.machineData)
      await this.write(join("machines", `${machine}${CLOUD_CONFIG_SUFFIX}`), text);
    if (changes.kubeconfig !== undefined) await this.writeKubeconfig(changes.kubeconfig);
  }

  kubeconfigPath(): string {
    return kubeconfigFile(this.workDir);
  }

  /** Writes the kubeconfig; returns its path. */
  async writeKubeconfig(text: string): Promise<string> {
    await this.write(relative(this.dir, kubeconfigFile(this.workDir)), text);
    return kubeconfigFile(this.workDir);
  }

  private async readPair(certFile: string, keyFile: string): Promise<CertAndKey | undefined> {
    const [cert, key] = await Promise.all([
      this.read(join("pki", certFile)),
      this.read(join("pki", keyFile)),
    ]);
    return cert !== undefined && key !== undefined ? { cert, key } : undefined;
  }

  private async writePair(certFile: string, keyFile: string, pair: CertAndKey): Promise<void> {
    await this.write(join("pki", certFile), pair.cert);
    await this.write(join("pki", keyFile), pair.key);
  }

  private async readMachineData(): Promise<Map<string, string>> {
    const data = new Map<string, string>();
    const names = await readdir(join(this.dir, "machines")).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith(CLOUD_CONFIG_SUFFIX)).sort()) {
      const text = await this.read(join("machines", name));
      if (text !== undefined) data.set(name.slice(0, -CLOUD_CONFIG_SUFFIX.length), text);
    }
    return data;
  }

  private read(file: string): Promise<string | undefined> {
    return readFile(join(this.dir, file), "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
  }

  private async write(file: string, text: string): Promise<void> {
    const path = join(this.dir, file);
    // Every directory on the way is private: mkdir's mode only applies to directories it creates.
    for (const dir of [this.dir, join(path, "..")]) {
      await mkdir(dir, { recursive: true, mode: BOOTSTRAP_DIR_MODE });
      await chmod(dir, BOOTSTRAP_DIR_MODE);
    }
    await writeFileAtomic(path, text, { mode: BOOTSTRAP_FILE_MODE });
    await chmod(path, BOOTSTRAP_FILE_MODE);
  }
}

function parseToken(text: string | undefined): StoredToken | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as { token?: unknown; ttl?: unknown; expires?: unknown };
    if (typeof value.token !== "string" || typeof value.ttl !== "string" || typeof value.expires !== "string")
      return undefined;
    const expires = new Date(value.expires);
    return Number.isNaN(expires.getTime()) ? undefined : { token: value.token, ttl: value.ttl, expires };
  } catch {
    // Unreadable: treated as no token, so a fresh one is made (and written whole).
    return undefined;
  }
}

/**
 * The init machines recorded under a state directory ("namespace/name" ->
 * Machine), for the version rules in buildModels: once a cluster exists its
 * control planes may differ in version.
 */
export async function recordedInitMachines(stateDir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const namespaces = await readdir(stateDir).catch(() => [] as string[]);
  for (const namespace of namespaces) {
    const names = await readdir(join(stateDir, namespace)).catch(() => [] as string[]);
    for (const name of names) {
      const text = await readFile(initMachineFile(join(stateDir, namespace, name)), "utf8").catch(() => "");
      if (text.trim()) found.set(`${namespace}/${name}`, text.trim());
    }
  }
  return found;
}
