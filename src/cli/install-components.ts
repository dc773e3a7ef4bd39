/**
 * `clusterform install`'s work, like `clusterctl init`: server-side apply of
 * every object of the components (idempotent: the same apply twice changes
 * nothing), then wait for the CRDs to be Established and the Deployment to be
 * Available. A kind the API server does not serve (the embedded control
 * plane serves no Deployment or RBAC) is skipped and reported by name, never
 * a failure halfway through.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { type ApiClient, isNotFound } from "../controllers/runtime/api-client.js";
import type { Manifest } from "../deploy/components.js";

export const FIELD_MANAGER = "clusterform-install";

interface ServedResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export interface InstallOutcome {
  applied: { object: string; action: "created" | "configured" | "unchanged" }[];
  /** Objects whose kind this server does not serve, with why. */
  unserved: { object: string; reason: string }[];
}

/** kubectl's name for an object: `deployment.apps/clusterform-controller`. */
export function objectName(object: Manifest): string {
  const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
  return `${object.kind.toLowerCase()}${group ? `.${group}` : ""}/${object.metadata.name}`;
}

/** Discovery of one group/version, cached; undefined when the server does not serve it. */
class Discovery {
  private readonly cache = new Map<string, ServedResource[] | undefined>();
  constructor(private readonly client: ApiClient) {}

  async resourceFor(apiVersion: string, kind: string): Promise<ServedResource | undefined> {
    if (!this.cache.has(apiVersion)) {
      const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      try {
        const list = await this.client.request<{ resources: ServedResource[] }>("GET", path);
        this.cache.set(apiVersion, list.resources);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        this.cache.set(apiVersion, undefined);
      }
    }
    return this.cache.get(apiVersion)?.find((r) => r.kind === kind && !r.name.includes("/"));
  }

  forget(apiVersion: string): void {
    this.cache.delete(apiVersion);
  }
}

function objectPath(apiVersion: string, resource: ServedResource, object: Manifest): string {
  const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const namespace = resource.namespaced ? `/namespaces/${object.metadata.namespace ?? "default"}` : "";
  return `${base}${namespace}/${resource.name}/${encodeURIComponent(object.metadata.name)}`;
}

export async function applyComponents(
  client: ApiClient,
  objects: readonly Manifest[],
): Promise<InstallOutcome> {
  const discovery = new Discovery(client);
  const outcome: InstallOutcome = { applied: [], unserved: [] };
  for (const object of objects) {
    const resource = await discovery.resourceFor(object.apiVersion, object.kind);
    if (!resource) {
      outcome.unserved.push({
        object: objectName(object),
        reason: `this API server does not serve ${object.kind} (${object.apiVersion})`,
      });
      continue;
    }
    const path = objectPath(object.apiVersion, resource, object);
    const before = await client.request<KubernetesObject>("GET", path).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    const after = await client.request<KubernetesObject>("PATCH", path, {
      query: { fieldManager: FIELD_MANAGER, force: "true" },
      body: object,
      contentType: "application/apply-patch+yaml",
    });
    const action = !before ? "created" : sameContent(before, after) ? "unchanged" : "configured";
    outcome.applied.push({ object: objectName(object), action });
    // A new CRD's group appears in discovery only now.
    if (object.kind === "CustomResourceDefinition") discovery.forget(object.apiVersion);
  }
  return outcome;
}

/**
 * Equal but for the bookkeeping an apply may touch without changing anything
 * (resourceVersion, managedFields timestamps; the embedded control plane also
 * bumps a CRD's generation on a no-op apply): how "unchanged" is told. A
 * changed spec still shows, in the spec itself.
 */
function sameContent(before: KubernetesObject, after: KubernetesObject): boolean {
  const strip = (object: KubernetesObject) => {
    const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...metadata } = object.metadata ?? {};
    return JSON.stringify({ ...object, metadata });
  };
  return strip(before) === strip(after);
}

interface Condition {
  type: string;
  status: string;
}
const hasCondition = (object: KubernetesObject | undefined, type: string) =>
  ((object as { status?: { conditions?: Condition[] } })?.status?.conditions ?? []).some(
    (c) => c.type === type && c.status === "True",
  );

/**
 * Waits until every installed CRD is Established and every installed
 * Deployment is Available (kinds the server does not serve are not waited
 * for). Throws naming what is not ready when the time is up.
 */
export async function waitForComponents(
  client: ApiClient,
  objects: readonly Manifest[],
  outcome: InstallOutcome,
  timeoutMs: number,
): Promise<void> {
  const installed = new Set(outcome.applied.map((a) => a.object));
  const checks = objects
    .filter((o) => installed.has(objectName(o)))
    .flatMap((o) => {
      if (o.kind === "CustomResourceDefinition")
        return [
          {
            object: o,
            path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${o.metadata.name}`,
            condition: "Established",
          },
        ];
      if (o.kind === "Deployment")
        return [
          {
            object: o,
            path: `/apis/apps/v1/namespaces/${o.metadata.namespace}/deployments/${o.metadata.name}`,
            condition: "Available",
          },
        ];
      return [];
    });
  const deadline = Date.now() + timeoutMs;
  let waiting = checks;
  while (waiting.length) {
    const answers = await Promise.all(waiting.map((c) => client.request<KubernetesObject>("GET", c.path)));
    waiting = waiting.filter((_, i) => !hasCondition(answers[i], waiting[i]?.condition ?? ""));
    if (!waiting.length) return;
    if (Date.now() > deadline) {
      const names = waiting.map((c) => `${objectName(c.object)} (${c.condition})`).join(", ");
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${names}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
