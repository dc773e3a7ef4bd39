import type { Cluster, ClusterStatus } from "../../api/cluster.js";
import type { Machine, MachineStatus } from "../../api/machine.js";
import type { MachineClass } from "../../api/machine-class.js";
import { CLUSTER_NAME_LABEL } from "../../api/meta.js";
import type { ConfigMapLike } from "../../model/backend.js";
import type { ClusterApiObject, ClusterStore, EventType } from "./store.js";

/**
 * An in-memory ClusterStore for unit tests of whole passes: it holds the
 * objects, applies status and finalizer writes to them, and records every
 * write and Event so a test can assert what a pass did (no API server).
 */
export class FakeClusterStore implements ClusterStore {
  readonly writes: string[] = [];
  readonly events: { name: string; type: EventType; reason: string; message: string }[] = [];

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

  async patchClusterStatus(cluster: Cluster, status: ClusterStatus): Promise<void> {
    this.writes.push(`status Cluster/${cluster.metadata.name}`);
    this.cluster = { ...this.cluster, status: structuredClone(status) };
  }

  async patchMachineStatus(machine: Machine, status: MachineStatus): Promise<void> {
    this.writes.push(`status Machine/${machine.metadata.name}`);
    this.updateMachine(machine, (m) => ({ ...m, status: structuredClone(status) }));
  }

  async patchMachineProviderID(machine: Machine, providerID: string): Promise<void> {
    this.writes.push(`spec.providerID Machine/${machine.metadata.name}`);
    this.updateMachine(machine, (m) => ({ ...m, spec: { ...m.spec, providerID } }));
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

  private updateMachine(machine: Machine, change: (m: Machine) => Machine): void {
    this.machines = this.machines.map((m) => (m.metadata.name === machine.metadata.name ? change(m) : m));
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
