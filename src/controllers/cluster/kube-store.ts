import type { KubernetesObject } from "@kubernetes/client-node";
import type { Cluster, ClusterStatus } from "../../api/cluster.js";
import { clusterNameOf } from "../../api/cluster-label.js";
import type { Machine, MachineStatus } from "../../api/machine.js";
import type { MachineClass } from "../../api/machine-class.js";
import { CLUSTER_NAME_LABEL } from "../../api/meta.js";
import { OutputsSecretConflictError } from "../../errors.js";
import type { ConfigMapLike } from "../../model/backend.js";
import { PLAN_OF_LABEL, type PlanConfigMap } from "../../plans/plan-configmap.js";
import { type ApiClient, isAlreadyExists, isConflict, isNotFound } from "../runtime/api-client.js";
import { type ResourceRef, SecretResource } from "../runtime/resource.js";
import type { EventRecorder } from "../shared/events.js";
import { addFinalizer, removeFinalizer } from "../shared/finalizers.js";
import { controllerRefTo, isControlledBy } from "../shared/owner-refs.js";
import {
  ClusterResource,
  MachineClassResource,
  MachineDeploymentResource,
  MachineResource,
  MachineSetResource,
} from "../shared/resources.js";
import { patchStatusGuarded } from "../shared/status-patch.js";
import type { OutputsSecret } from "./outputs-secret.js";
import type { ClusterApiObject, ClusterStore, EventType, SecretObject } from "./store.js";

/**
 * The ClusterStore over the Kubernetes API (embedded control plane or a real
 * cluster). Reads go to the API server, not the informer cache: a pass that
 * runs Terraform must start from the latest objects.
 */
export class KubeClusterStore implements ClusterStore {
  constructor(
    private readonly client: ApiClient,
    private readonly events: EventRecorder,
  ) {}

  async getCluster(namespace: string, name: string): Promise<Cluster | undefined> {
    return withKind(await this.client.find<KubernetesObject>(ClusterResource, namespace, name), "Cluster");
  }

  async listMachines(namespace: string, clusterName: string): Promise<Machine[]> {
    const list = await this.client.list<KubernetesObject>(MachineResource, namespace, {
      labelSelector: `${CLUSTER_NAME_LABEL}=${clusterName}`,
    });
    return list.items.map((item) => withKind(item, "Machine") as Machine);
  }

  async listMachineClasses(namespace: string): Promise<MachineClass[]> {
    const list = await this.client.list<KubernetesObject>(MachineClassResource, namespace);
    return list.items.map((item) => withKind(item, "MachineClass") as MachineClass);
  }

  async getConfigMap(namespace: string, name: string): Promise<ConfigMapLike | undefined> {
    return (await this.client.find<KubernetesObject>(ConfigMapResource, namespace, name)) as
      | ConfigMapLike
      | undefined;
  }

  async getSecretData(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    const secret = await this.client.find<KubernetesObject & { data?: Record<string, string> }>(
      SecretResource,
      namespace,
      name,
    );
    if (!secret) return undefined;
    const data: Record<string, string> = {};
    for (const [key, value] of Object.entries(secret.data ?? {}))
      data[key] = Buffer.from(value, "base64").toString("utf8");
    return data;
  }

  patchClusterStatus(cluster: Cluster, status: ClusterStatus): Promise<void> {
    return this.writeStatus(ClusterResource, cluster, status);
  }

  patchMachineStatus(machine: Machine, status: MachineStatus): Promise<void> {
    return this.writeStatus(MachineResource, machine, status);
  }

  async patchMachineProviderID(machine: Machine, providerID: string): Promise<boolean> {
    const { namespace, name, resourceVersion } = machine.metadata;
    // The resourceVersion read makes the copy fail (409) if anyone changed the
    // Machine meanwhile: its new generation is then exactly the copy's, never
    // one carrying a spec edit this pass did not see (status.ts).
    const body = { metadata: { resourceVersion }, spec: { providerID } };
    try {
      track(
        machine,
        await this.client.patch<KubernetesObject>(MachineResource, namespace, name ?? "", "merge", body),
      );
      return true;
    } catch (error) {
      if (isConflict(error) || isNotFound(error)) return false;
      throw error;
    }
  }

  async addFinalizer(object: ClusterApiObject, finalizer: string): Promise<void> {
    track(object, await addFinalizer(this.client, resourceOf(object), asKube(object), finalizer));
  }

  async removeFinalizer(object: ClusterApiObject, finalizer: string): Promise<void> {
    await ignoreGone(async () =>
      track(object, await removeFinalizer(this.client, resourceOf(object), asKube(object), finalizer)),
    );
  }

  async deleteDescendants(namespace: string, clusterName: string): Promise<void> {
    for (const resource of [MachineDeploymentResource, MachineSetResource]) {
      const owners = await this.client.list<KubernetesObject>(resource, namespace);
      for (const owner of owners.items) {
        const belongs = clusterNameOf({ ...owner, kind: resource.kind });
        if ("name" in belongs && belongs.name === clusterName) {
          await this.client.delete(resource, namespace, owner.metadata?.name ?? "");
        }
      }
    }
    for (const machine of await this.listMachines(namespace, clusterName)) {
      if (!machine.metadata.deletionTimestamp)
        await this.client.delete(MachineResource, namespace, machine.metadata.name ?? "");
    }
  }

  event(object: ClusterApiObject, type: EventType, reason: string, message: string): Promise<void> {
    return this.events.record(asKube(object), type, reason, message);
  }

  async writePlanConfigMaps(cluster: Cluster, parts: PlanConfigMap[]): Promise<void> {
    const namespace = cluster.metadata.namespace ?? "default";
    for (const part of parts) await this.createOrReplace(ConfigMapResource, namespace, part);
    // Parts of an earlier, longer plan would be joined to this one: remove them.
    const wanted = new Set(parts.map((p) => p.metadata.name));
    const existing = await this.client.list<KubernetesObject>(ConfigMapResource, namespace, {
      labelSelector: `${PLAN_OF_LABEL}=${cluster.metadata.name}`,
    });
    for (const item of existing.items) {
      const name = item.metadata?.name ?? "";
      if (!wanted.has(name)) await this.client.delete(ConfigMapResource, namespace, name);
    }
  }

  async getSecret(namespace: string, name: string): Promise<SecretObject | undefined> {
    return (await this.client.find<KubernetesObject>(SecretResource, namespace, name)) as
      | SecretObject
      | undefined;
  }

  async listClusterSecrets(namespace: string, clusterName: string): Promise<SecretObject[]> {
    const list = await this.client.list<KubernetesObject>(SecretResource, namespace, {
      labelSelector: `${CLUSTER_NAME_LABEL}=${clusterName}`,
    });
    return list.items as SecretObject[];
  }

  async createSecret(owner: ClusterApiObject, secret: SecretObject): Promise<boolean> {
    const namespace = owner.metadata.namespace ?? "default";
    const body = withOwner(secret, owner, namespace);
    try {
      await this.client.create(SecretResource, namespace, body as KubernetesObject);
      return true;
    } catch (error) {
      if (isAlreadyExists(error)) return false;
      throw error;
    }
  }

  writeClusterSecret(cluster: Cluster, secret: SecretObject): Promise<void> {
    const namespace = cluster.metadata.namespace ?? "default";
    return this.writeControlled(cluster, secret.metadata.name, withOwner(secret, cluster, namespace));
  }

  async annotateCluster(cluster: Cluster, key: string, value: string): Promise<void> {
    const { namespace, name } = cluster.metadata;
    const patch = { metadata: { annotations: { [key]: value } } };
    const updated = await this.client.patch<KubernetesObject>(
      ClusterResource,
      namespace,
      name ?? "",
      "merge",
      patch,
    );
    track(cluster, updated);
    cluster.metadata.annotations = { ...cluster.metadata.annotations, [key]: value };
  }

  writeOutputsSecret(cluster: Cluster, name: string, secret: OutputsSecret | undefined): Promise<void> {
    return this.writeControlled(cluster, name, secret);
  }

  /** Creates, replaces or (undefined) deletes a Secret the Cluster controls; never one it does not. */
  private async writeControlled(cluster: Cluster, name: string, secret: object | undefined): Promise<void> {
    const namespace = cluster.metadata.namespace ?? "default";
    const owner = asKube(cluster);
    const existing = await this.client.find<KubernetesObject>(SecretResource, namespace, name);
    const ours = existing !== undefined && isControlledBy(existing, owner);
    if (!secret) {
      if (ours)
        await this.client.delete(SecretResource, namespace, name, { uid: existing.metadata?.uid ?? "" });
      return;
    }
    if (existing && !ours) {
      throw new OutputsSecretConflictError(
        `Secret ${namespace}/${name} exists and is not controlled by Cluster ${namespace}/${cluster.metadata.name}; ` +
          "rename or delete it so clusterform can store the cluster's material there",
      );
    }
    await this.createOrReplace(SecretResource, namespace, secret);
  }

  /** Create, or replace what is there (with its resourceVersion). */
  private async createOrReplace(resource: ResourceRef, namespace: string, object: object): Promise<void> {
    const body = object as KubernetesObject;
    try {
      await this.client.create(resource, namespace, body);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const current = await this.client.get(resource, namespace, body.metadata?.name ?? "");
      await this.client.replace(resource, {
        ...body,
        metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion },
      });
    }
  }

  private async writeStatus(resource: ResourceRef, object: ClusterApiObject, status: object): Promise<void> {
    // A Machine released a moment ago may be gone already: nothing left to report on.
    await ignoreGone(async () =>
      track(
        object,
        await patchStatusGuarded(
          this.client,
          resource,
          asKube(object) as KubernetesObject & { status?: object },
          status,
        ),
      ),
    );
  }
}

const ConfigMapResource: ResourceRef = {
  group: "",
  version: "v1",
  plural: "configmaps",
  kind: "ConfigMap",
  namespaced: true,
};

function withOwner(secret: SecretObject, owner: ClusterApiObject, namespace: string): SecretObject {
  return {
    ...secret,
    metadata: { ...secret.metadata, namespace, ownerReferences: [controllerRefTo(asKube(owner))] },
  };
}

function resourceOf(object: ClusterApiObject): ResourceRef {
  return object.kind === "Cluster" ? ClusterResource : MachineResource;
}

function asKube(object: ClusterApiObject): KubernetesObject {
  return object as unknown as KubernetesObject;
}

/** The server's answer carries the new resourceVersion: later guarded writes in this pass need it. */
function track(object: ClusterApiObject, updated: KubernetesObject | undefined): void {
  const version = updated?.metadata?.resourceVersion;
  if (version) object.metadata.resourceVersion = version;
  const generation = updated?.metadata?.generation;
  if (generation !== undefined) object.metadata.generation = generation;
}

async function ignoreGone(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** List items may come without kind/apiVersion; the model builder needs them. */
function withKind<T>(object: KubernetesObject | undefined, kind: string): T | undefined {
  if (!object) return undefined;
  return { ...object, apiVersion: object.apiVersion ?? "cluster.k8s.io/v1alpha1", kind } as T;
}
