import type { Cluster, ClusterStatus } from "../../api/cluster.js";
import type { Machine, MachineStatus } from "../../api/machine.js";
import type { MachineClass } from "../../api/machine-class.js";
import type { ConfigMapLike } from "../../model/backend.js";
import type { PlanConfigMap } from "../../plans/plan-configmap.js";
import type { OutputsSecret } from "./outputs-secret.js";

/** A core/v1 Secret as the reconciler reads and writes it (data base64-encoded, as the API holds it). */
export interface SecretObject {
  apiVersion: "v1";
  kind: "Secret";
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    ownerReferences?: { uid: string; kind?: string; controller?: boolean }[];
  };
  type?: string;
  data?: Record<string, string>;
}

/** An object the reconciler writes to: enough to address it and to guard against stale writes. */
export type ClusterApiObject = Cluster | Machine;

export type EventType = "Normal" | "Warning";

/**
 * The cluster reconciler's only door to the Kubernetes API. Phases depend on
 * this interface, so they run the same against the embedded control plane, a
 * real cluster, or an in-memory store in unit tests.
 */
export interface ClusterStore {
  getCluster(namespace: string, name: string): Promise<Cluster | undefined>;
  /** Machines labelled with the cluster's name, including those being deleted. */
  listMachines(namespace: string, clusterName: string): Promise<Machine[]>;
  listMachineClasses(namespace: string): Promise<MachineClass[]>;
  /** A ConfigMap the Cluster refers to (its state backend settings); undefined when absent. */
  getConfigMap(namespace: string, name: string): Promise<ConfigMapLike | undefined>;
  /** A Secret's data, base64-decoded; undefined when the Secret is absent. */
  getSecretData(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** The Secret as it is; undefined when absent. */
  getSecret(namespace: string, name: string): Promise<SecretObject | undefined>;
  /** Secrets labelled `cluster.k8s.io/cluster-name=<clusterName>`. */
  listClusterSecrets(namespace: string, clusterName: string): Promise<SecretObject[]>;
  /**
   * Creates the Secret with `owner` as its controller; never replaces one:
   * false when a Secret of that name already exists.
   */
  createSecret(owner: ClusterApiObject, secret: SecretObject): Promise<boolean>;
  /**
   * Creates or replaces a Secret the Cluster controls (owner reference set
   * here); one of that name the Cluster does not control is never touched:
   * writing it throws OutputsSecretConflictError.
   */
  writeClusterSecret(cluster: Cluster, secret: SecretObject): Promise<void>;
  /** Sets one annotation on the Cluster (merge patch); keeps the passed object's resourceVersion current. */
  annotateCluster(cluster: Cluster, key: string, value: string): Promise<void>;
  /** Replaces the object's status (merge patch of `.status`). */
  patchClusterStatus(cluster: Cluster, status: ClusterStatus): Promise<void>;
  patchMachineStatus(machine: Machine, status: MachineStatus): Promise<void>;
  /**
   * Copies the provider ID into spec.providerID, as Cluster API does, guarded
   * by the resourceVersion read: false (nothing written) when the Machine
   * changed since or is gone. On success the passed object's resourceVersion
   * and generation are the server's.
   */
  patchMachineProviderID(machine: Machine, providerID: string): Promise<boolean>;
  /**
   * Adds or removes one finalizer, guarded by the resourceVersion read (a
   * conflict throws and the key is retried). Implementations keep the passed
   * object's resourceVersion current after every write of theirs.
   */
  addFinalizer(object: ClusterApiObject, finalizer: string): Promise<void>;
  removeFinalizer(object: ClusterApiObject, finalizer: string): Promise<void>;
  /**
   * Deletes the cluster's MachineDeployments, MachineSets and Machines (what
   * Cluster API calls its descendants), so nothing recreates Machines while
   * its stack is destroyed. Our finalizers keep the Machines until then.
   */
  deleteDescendants(namespace: string, clusterName: string): Promise<void>;
  event(object: ClusterApiObject, type: EventType, reason: string, message: string): Promise<void>;
  /** Creates or replaces the plan ConfigMap parts and deletes parts of an earlier, longer plan. */
  writePlanConfigMaps(cluster: Cluster, parts: PlanConfigMap[]): Promise<void>;
  /**
   * Creates or replaces the Cluster's outputs Secret (`name`); undefined
   * deletes it. A Secret of that name the Cluster does not control is never
   * touched: writing one throws OutputsSecretConflictError.
   */
  writeOutputsSecret(cluster: Cluster, name: string, secret: OutputsSecret | undefined): Promise<void>;
}
