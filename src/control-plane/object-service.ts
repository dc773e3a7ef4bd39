/**
 * The server's operations on objects (get, list, create, update, patch,
 * delete), shared by the HTTP handlers and the built-in controllers. All of
 * it is synchronous between reading and committing, so read-modify-write is
 * atomic without locks.
 */
import {
  admitCreate,
  admitUpdate,
  checkIdentity,
  type FieldValidation,
  timestamp,
  type WriteOptions,
} from "./admission.js";
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  staleObjectMessage,
  unsupportedMediaType,
} from "./api-error.js";
import { parseJsonText, parseYamlText } from "./body-parse.js";
import { defaultCrd, namesConflict, resourceTypeFromCrd, setCrdStatus, validateCrd } from "./crd.js";
import { applyJsonPatchRequest as applyJsonPatch } from "./patch/json-patch.js";
import { applyConfiguration, type OwnershipContext, recordUpdate } from "./patch/managed-fields.js";
import { applyMerge, mergePatch, strategicMergePatch } from "./patch/merge.js";
import type { Registry } from "./registry.js";
import { apiVersionOf, type ResourceType, resourceKey } from "./resource-type.js";
import type { KubeObject, ManagedFieldsEntry, ObjectStore, StoredEvent, Write } from "./store.js";
import type { WatchHub } from "./watch-hub.js";

export interface RequestOptions {
  fieldManager?: string;
  fieldValidation: FieldValidation;
  dryRun: boolean;
  force: boolean;
  warnings: string[];
}

export interface DeleteOptions {
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export const crdCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";
const crdKey = "apiextensions.k8s.io/customresourcedefinitions";
const namespaceKey = "core/namespaces";

export class ObjectService {
  /** Called after every commit (the built-in controllers schedule themselves here). */
  onCommit: (events: StoredEvent[]) => void = () => {};

  constructor(
    readonly store: ObjectStore,
    readonly hub: WatchHub,
    readonly registry: Registry,
  ) {}

  /** Registers the types of every stored, established CRD (startup). */
  loadCrds(): void {
    for (const crd of this.store.list(crdKey)) this.syncCrdType(crd);
  }

  commit(writes: Write[]): StoredEvent[] {
    const events = this.store.commit(writes);
    for (const event of events)
      if (event.key === crdKey)
        this.syncCrdType(event.type === "DELETED" ? undefined : event.object, event.name);
    this.hub.publish(events);
    this.onCommit(events);
    return events;
  }

  private syncCrdType(crd: KubeObject | undefined, name = crd?.metadata.name ?? ""): void {
    const conditions =
      (crd?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
    const established = conditions.some((c) => c.type === "Established" && c.status === "True");
    if (crd && established) this.registry.registerCrd(resourceTypeFromCrd(crd));
    else if (!crd) this.registry.unregisterCrd(name);
  }

  find(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(resourceKey(type), type.namespaced ? (namespace ?? "") : "", name);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.find(type, namespace, name);
    if (!object) throw notFound(type, name);
    return object;
  }

  list(type: ResourceType, namespace: string | undefined): KubeObject[] {
    return this.store.list(resourceKey(type), type.namespaced ? namespace : undefined);
  }

  private requireNamespace(type: ResourceType, namespace: string | undefined): void {
    if (!type.namespaced || !namespace) return;
    const ns = this.store.get(namespaceKey, "", namespace);
    if (!ns) throw notFound({ group: "", plural: "namespaces", kind: "Namespace" }, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw forbidden(
        `${type.plural}${type.group ? `.${type.group}` : ""} "${""}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  private ownership(
    type: ResourceType,
    version: string,
    options: RequestOptions,
    subresource?: string,
  ): OwnershipContext {
    return {
      manager: options.fieldManager ?? "unknown",
      apiVersion: apiVersionOf(type, version),
      schema: type.schemas.get(version),
      subresource,
      statusIsSubresource: type.statusSubresource,
    };
  }

  private writeOptions(options: RequestOptions, subresource?: string): WriteOptions {
    return { fieldValidation: options.fieldValidation, warnings: options.warnings, subresource };
  }

  create(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    body: KubeObject,
    options: RequestOptions,
  ): KubeObject {
    checkIdentity(type, version, namespace, body);
    this.requireNamespace(type, body.metadata.namespace);
    const object = admitCreate(type, version, body, this.writeOptions(options));
    if (this.find(type, object.metadata.namespace, object.metadata.name ?? ""))
      throw alreadyExists(type, object.metadata.name ?? "");
    this.admitCrd(type, object);
    recordUpdate(undefined, object, this.ownership(type, version, options));
    if (options.dryRun) return object;
    return this.commitOne({ type: "ADDED", key: resourceKey(type), object });
  }

  update(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    options: RequestOptions,
    subresource?: string,
  ): KubeObject {
    checkIdentity(type, version, namespace, body);
    const existing = this.get(type, namespace, name);
    // Like the apiserver, a request that sends managedFields replaces them (kubectl's
    // client-side to server-side apply migration relies on it); empty means "keep".
    const sent = body.metadata.managedFields;
    const managedFields = Array.isArray(sent) && sent.length > 0 ? sent : existing.metadata.managedFields;
    const object = admitUpdate(type, version, existing, body, this.writeOptions(options, subresource));
    this.admitCrd(type, object);
    const base = { ...existing, metadata: { ...existing.metadata, managedFields } };
    recordUpdate(base, object, this.ownership(type, version, options, subresource));
    return this.store_(type, existing, object, options);
  }

  /** Stores an admitted update, or deletes the object when deletion is pending and finalizers are gone. */
  private store_(
    type: ResourceType,
    existing: KubeObject,
    object: KubeObject,
    options: RequestOptions,
  ): KubeObject {
    if (JSON.stringify(stripVolatile(existing)) === JSON.stringify(stripVolatile(object))) return existing;
    if (options.dryRun) return object;
    if (
      object.metadata.deletionTimestamp &&
      (object.metadata.finalizers ?? []).length === 0 &&
      !hasSpecFinalizers(type, object)
    ) {
      return this.commitOne({ type: "DELETED", key: resourceKey(type), object, previous: existing });
    }
    return this.commitOne({ type: "MODIFIED", key: resourceKey(type), object, previous: existing });
  }

  private commitOne(write: Write): KubeObject {
    const [event] = this.commit([write]);
    return (event as StoredEvent).object;
  }

  /** CRDs: defaults, validation, name conflicts and conditions. */
  private admitCrd(type: ResourceType, object: KubeObject): void {
    if (resourceKey(type) !== crdKey) return;
    defaultCrd(object);
    const causes = validateCrd(object);
    if (causes.length > 0) throw invalid(type, object.metadata.name ?? "", causes);
    setCrdStatus(object, namesConflict(object, this.store.list(crdKey)));
    if (!object.metadata.deletionTimestamp && !object.metadata.finalizers?.includes(crdCleanupFinalizer)) {
      object.metadata.finalizers = [...(object.metadata.finalizers ?? []), crdCleanupFinalizer];
    }
  }

  patch(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    contentType: string,
    raw: string,
    options: RequestOptions,
    subresource?: string,
  ): KubeObject {
    const kind = contentType.split(";")[0]?.trim() ?? "";
    if (kind === "application/apply-patch+yaml" || kind === "application/apply-patch+cbor") {
      return this.serverSideApply(type, version, namespace, name, raw, options, subresource);
    }
    const existing = this.get(type, namespace, name);
    const current = { ...structuredClone(existing), apiVersion: apiVersionOf(type, version) };
    const patched = applyPatch(type, kind, current, raw);
    if (!patched || typeof patched !== "object" || Array.isArray(patched))
      throw badRequest(
        "the patch must leave an object: it replaced the whole object with a non-object value",
      );
    if (!patched.metadata?.resourceVersion)
      patched.metadata = { ...patched.metadata, resourceVersion: existing.metadata.resourceVersion };
    return this.update(type, version, namespace, name, patched, options, subresource);
  }

  private serverSideApply(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    raw: string,
    options: RequestOptions,
    subresource?: string,
  ): KubeObject {
    if (!options.fieldManager) {
      throw badRequest("PATCH, fieldManager: Required value: is required for apply patch");
    }
    const config = parseYamlText(raw, "error decoding YAML") as KubeObject;
    if (!config || typeof config !== "object" || Array.isArray(config))
      throw badRequest("error decoding YAML: the apply configuration must be an object");
    checkIdentity(type, version, namespace, config);
    if (config.metadata.name && config.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    config.metadata.name = name;
    const context = this.ownership(type, version, options, subresource);
    const existing = this.find(type, namespace, name);
    const schema = type.schemas.get(version);
    if (!existing) {
      this.requireNamespace(type, config.metadata.namespace);
      const base: KubeObject = {
        apiVersion: config.apiVersion,
        kind: config.kind,
        metadata: { name, namespace: config.metadata.namespace },
      };
      const merged = applyConfiguration(base, config, context, true, (t, p) => applyMerge(t, p, schema));
      const managedFields = merged.metadata.managedFields;
      const object = admitCreate(type, version, merged, this.writeOptions(options));
      object.metadata.managedFields = managedFields;
      this.admitCrd(type, object);
      if (options.dryRun) return object;
      return this.commitOne({ type: "ADDED", key: resourceKey(type), object });
    }
    const current = { ...structuredClone(existing), apiVersion: apiVersionOf(type, version) };
    const merged = applyConfiguration(current, config, context, options.force, (t, p) =>
      applyMerge(t, p, schema),
    );
    const managedFields = merged.metadata.managedFields;
    merged.metadata.resourceVersion = existing.metadata.resourceVersion;
    const object = admitUpdate(type, version, existing, merged, this.writeOptions(options, subresource));
    object.metadata.managedFields = managedFields;
    this.admitCrd(type, object);
    return this.store_(type, existing, object, options);
  }

  /** DELETE: sets deletionTimestamp while finalizers remain, else removes the object. */
  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions,
  ): { object: KubeObject; deleted: boolean } {
    const existing = this.get(type, namespace, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== existing.metadata.uid) {
      throw conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict(
        type,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
      );
    }
    const object = structuredClone(existing);
    const finalizers = new Set(object.metadata.finalizers ?? []);
    const policy = options.propagationPolicy ?? (options.orphanDependents ? "Orphan" : undefined);
    if (!object.metadata.deletionTimestamp) {
      if (policy === "Orphan") finalizers.add("orphan");
      if (policy === "Foreground") finalizers.add("foregroundDeletion");
    }
    if (finalizers.size > 0 || hasSpecFinalizers(type, object)) {
      if (
        object.metadata.deletionTimestamp &&
        finalizers.size === (object.metadata.finalizers ?? []).length
      ) {
        return { object: existing, deleted: false };
      }
      object.metadata.finalizers = [...finalizers];
      object.metadata.deletionTimestamp ??= timestamp();
      object.metadata.deletionGracePeriodSeconds = 0;
      if (type.kind === "Namespace" && type.builtIn)
        object.status = { ...(object.status as object), phase: "Terminating" };
      if (options.dryRun) return { object, deleted: false };
      return {
        object: this.commitOne({ type: "MODIFIED", key: resourceKey(type), object, previous: existing }),
        deleted: false,
      };
    }
    if (options.dryRun) return { object, deleted: true };
    object.metadata.deletionTimestamp ??= timestamp();
    object.metadata.deletionGracePeriodSeconds = 0;
    return {
      object: this.commitOne({ type: "DELETED", key: resourceKey(type), object, previous: existing }),
      deleted: true,
    };
  }

  /** Removes finalizers from an object (controllers' bookkeeping); deletes it when none remain. */
  removeFinalizer(type: ResourceType, object: KubeObject, finalizer: string): void {
    const next = structuredClone(object);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    this.writeDirect(type, object, next);
  }

  /** Writes a controller-made change without admission (the controllers act as the server). */
  writeDirect(type: ResourceType, existing: KubeObject, next: KubeObject): void {
    const gone =
      next.metadata.deletionTimestamp &&
      (next.metadata.finalizers ?? []).length === 0 &&
      !hasSpecFinalizers(type, next);
    this.commit([
      { type: gone ? "DELETED" : "MODIFIED", key: resourceKey(type), object: next, previous: existing },
    ]);
  }
}

export function hasSpecFinalizers(type: ResourceType, object: KubeObject): boolean {
  if (!(type.builtIn && type.kind === "Namespace")) return false;
  return ((object.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0;
}

function stripVolatile(object: KubeObject): KubeObject {
  const meta = { ...object.metadata };
  delete meta.resourceVersion;
  // Ownership changes are real changes; only their timestamps are not.
  meta.managedFields = meta.managedFields?.map(({ time: _time, ...entry }) => entry as ManagedFieldsEntry);
  return { ...object, apiVersion: undefined, metadata: meta };
}

function applyPatch(type: ResourceType, kind: string, current: KubeObject, raw: string): KubeObject {
  const patch = parseJsonText(raw, "error decoding patch");
  switch (kind) {
    case "application/merge-patch+json":
      return mergePatch(current, patch) as KubeObject;
    case "application/strategic-merge-patch+json":
      if (!type.builtIn) throw unsupportedMediaType(kind);
      return strategicMergePatch(current, patch) as KubeObject;
    case "application/json-patch+json":
      return applyJsonPatch(current, patch);
    default:
      throw unsupportedMediaType(kind);
  }
}

export { staleObjectMessage };
