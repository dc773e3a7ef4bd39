import type { Cluster, ClusterStatus } from "../../api/cluster.js";
import type { Machine, MachineStatus } from "../../api/machine.js";
import type { MachineClass } from "../../api/machine-class.js";
import { CLUSTER_NAME_LABEL } from "../../api/meta.js";
import type { ConfigMapLike } from "../../model/backend.js";
import type { ClusterApiObject, ClusterStore, EventType, SecretObject } from "./store.js";

/**
 * An in-memory ClusterStore for unit tests of whole passes: it holds the
 * objects, applies status and finalizer writes to them, and records every
 * write and Event so a test can assert what a pass did (no API server).
 */
export class FakeClusterStore implements ClusterStore {
  readonly writes: string[] = [];
  readonly events: { name: string; type: EventType; reason: string; message: string }[] = [];
  /** Secrets by name (one namespace is enough for these tests). */
  readonly secrets = new Map<string, SecretObject>();
  private version = 0;

  constructor(
    public cluster: Cluster,
    public machines: Machine[] = [],
    public machineClasses: MachineClass[] = [],
  ) {}

  async getCluster(namespace: string, name: string): Promise<Cluster | undefined> {
    const c = this.cluster;
    return c.metadata.namespace === namespace && c.metadata.name === name ? structuredClone(c) : undefined;
  }

  async listMachines(namespace: string, clusterName: string): Promise<Machine[]> {
    return this.machines
      .filter(
        (m) => m.metadata.namespace === namespace && m.metadata.labels?.[CLUSTER_NAME_LABEL] === clusterName,
      )
      .map((m) => structuredClone(m));
  }

  async listMachineClasses(): Promise<MachineClass[]> {
    return structuredClone(this.machineClasses);
  }

  async getConfigMap(): Promise<ConfigMapLike | undefined> {
    return undefined;
  }

  async getSecretData(): Promise<Record<string, string> | undefined> {
    return undefined;
  }

  async getSecret(_namespace: string, name: string): Promise<SecretObject | undefined> {
    const secret = this.secrets.get(name);
    return secret ? structuredClone(secret) : undefined;
  }

  async listClusterSecrets(_namespace: string, clusterName: string): Promise<SecretObject[]> {
    return [...this.secrets.values()]
      .filter((s) => s.metadata.labels?.[CLUSTER_NAME_LABEL] === clusterName)
      .map((s) => structuredClone(s));
  }

  async createSecret(owner: ClusterApiObject, secret: SecretObject): Promise<boolean> {
    if (this.secrets.has(secret.metadata.name)) return false;
    this.writes.push(`create Secret/${secret.metadata.name}`);
    this.secrets.set(secret.metadata.name, ownedBy(secret, owner));
    return true;
  }

  async writeClusterSecret(cluster: Cluster, secret: SecretObject): Promise<void> {
    this.writes.push(`write Secret/${secret.metadata.name}`);
    this.secrets.set(secret.metadata.name, ownedBy(secret, cluster));
  }

  async annotateCluster(cluster: Cluster, key: string, value: string): Promise<void> {
    this.writes.push(`annotate Cluster/${cluster.metadata.name} ${key}`);
    const annotations = { ...this.cluster.metadata.annotations, [key]: value };
    this.cluster = { ...this.cluster, metadata: { ...this.cluster.metadata, annotations } };
    cluster.metadata.annotations = { ...cluster.metadata.annotations, [key]: value };
  }

  async patchClusterStatus(cluster: Cluster, status: ClusterStatus): Promise<void> {
    this.writes.push(`status Cluster/${cluster.metadata.name}`);
    this.cluster = { ...this.cluster, status: structuredClone(status) };
  }

  async patchMachineStatus(machine: Machine, status: MachineStatus): Promise<void> {
    this.writes.push(`status Machine/${machine.metadata.name}`);
    this.updateMachine(machine, (m) => ({ ...m, status: structuredClone(status) }));
  }

  /** Guarded like the API server's: a stale resourceVersion writes nothing. */
  async patchMachineProviderID(machine: Machine, providerID: string): Promise<boolean> {
    const stored = this.machines.find((m) => m.metadata.name === machine.metadata.name);
    if (!stored || stored.metadata.resourceVersion !== machine.metadata.resourceVersion) {
      this.writes.push(`spec.providerID Machine/${machine.metadata.name} (conflict)`);
      return false;
    }
    this.writes.push(`spec.providerID Machine/${machine.metadata.name}`);
    // A spec change moves the generation, as the API server does.
    this.updateMachine(machine, (m) => ({
      ...m,
      metadata: { ...m.metadata, generation: (m.metadata.generation ?? 0) + 1 },
      spec: { ...m.spec, providerID },
    }));
    return true;
  }

  /** Someone else's edit of a Machine's spec (a user's kubectl edit): generation and resourceVersion move. */
  editMachineSpec(name: string, spec: Partial<Machine["spec"]>): void {
    this.machines = this.machines.map((m) =>
      m.metadata.name === name
        ? {
            ...m,
            metadata: {
              ...m.metadata,
              generation: (m.metadata.generation ?? 0) + 1,
              resourceVersion: this.nextVersion(),
            },
            spec: { ...m.spec, ...spec },
          }
        : m,
    );
  }

  async addFinalizer(object: ClusterApiObject, finalizer: string): Promise<void> {
    this.writes.push(`finalizer+ ${object.kind}/${object.metadata.name}`);
    this.editFinalizers(object, (list) => [...list, finalizer]);
  }

  async removeFinalizer(object: ClusterApiObject, finalizer: string): Promise<void> {
    this.writes.push(`finalizer- ${object.kind}/${object.metadata.name}`);
    this.editFinalizers(object, (list) => list.filter((f) => f !== finalizer));
  }

  async deleteDescendants(): Promise<void> {
    this.writes.push("delete descendants");
  }

  async event(object: ClusterApiObject, type: EventType, reason: string, message: string): Promise<void> {
    this.events.push({ name: `${object.kind}/${object.metadata.name}`, type, reason, message });
  }

  async writePlanConfigMaps(): Promise<void> {
    this.writes.push("plan ConfigMaps");
  }

  async writeOutputsSecret(): Promise<void> {
    this.writes.push("outputs Secret");
  }

  /** Status writes of the pass so far, then forgets them (one pass at a time). */
  takeWrites(): string[] {
    return this.writes.splice(0);
  }

  /**
   * Every write moves the stored Machine's resourceVersion; the passed object
   * gets the stored resourceVersion and generation, as the Kube store's track() does.
   */
  private updateMachine(machine: Machine, change: (m: Machine) => Machine): void {
    this.machines = this.machines.map((m) => {
      if (m.metadata.name !== machine.metadata.name) return m;
      const updated = change(m);
      const metadata = { ...updated.metadata, resourceVersion: this.nextVersion() };
      machine.metadata.resourceVersion = metadata.resourceVersion;
      if (metadata.generation !== undefined) machine.metadata.generation = metadata.generation;
      return { ...updated, metadata };
    });
  }

  private nextVersion(): string {
    this.version += 1;
    return String(this.version);
  }

  private editFinalizers(object: ClusterApiObject, edit: (list: string[]) => string[]): void {
    const list = edit(object.metadata.finalizers ?? []);
    object.metadata.finalizers = list;
    if (object.kind === "Cluster")
      this.cluster = { ...this.cluster, metadata: { ...this.cluster.metadata, finalizers: list } };
    else
      this.updateMachine(object as Machine, (m) => ({ ...m, metadata: { ...m.metadata, finalizers: list } }));
  }
}

function ownedBy(secret: SecretObject, owner: ClusterApiObject): SecretObject {
  const uid = owner.metadata.uid ?? `${owner.kind}/${owner.metadata.name}`;
  return structuredClone({
    ...secret,
    metadata: { ...secret.metadata, ownerReferences: [{ uid, controller: true }] },
  });
}
