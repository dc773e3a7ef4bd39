/**
 * What the server does to an incoming object before storing it: scope and
 * kind checks, schema pruning/defaulting/validation, metadata rules, status
 * subresource rules and generation. Pure: returns the object to store.
 */
import { randomUUID } from "node:crypto";
import { badRequest, conflict, invalid, type StatusCause, staleObjectMessage } from "./api-error.js";
import { assertNestingDepth } from "./body-parse.js";
import { apiVersionOf, type ResourceType } from "./resource-type.js";
import { applyDefaults, pruneValue } from "./schema/prune.js";
import { validateValue } from "./schema/validate.js";
import type { KubeObject } from "./store.js";
import { configMapCauses, secretCauses } from "./validation/config-data.js";
import { objectMetaCauses } from "./validation/object-meta.js";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface WriteOptions {
  fieldValidation: FieldValidation;
  /** Warning headers collected while admitting (fieldValidation=Warn). */
  warnings: string[];
  subresource?: string;
}

const knownMetadata = new Set([
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
]);

export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z");
}

/** Checks kind/apiVersion and namespace against the request; fills them in. */
export function checkIdentity(
  type: ResourceType,
  version: string,
  namespace: string | undefined,
  object: KubeObject,
): void {
  if (!object || typeof object !== "object" || Array.isArray(object))
    throw badRequest("the request body must be a JSON object");
  // Patches can deepen a stored object past what a body may carry.
  assertNestingDepth(object, "the object is nested too deeply");
  object.metadata ??= {};
  if (object.kind && object.kind !== type.kind) {
    throw badRequest(
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${apiVersionOf(type, version)}) or kind ${object.kind} is not ${type.kind}`,
    );
  }
  if (object.apiVersion && (object.apiVersion.split("/").length === 2) !== Boolean(type.group)) {
    throw badRequest(
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${apiVersionOf(type, version)})`,
    );
  }
  object.apiVersion = apiVersionOf(type, version);
  object.kind = type.kind;
  if (type.namespaced) {
    if (object.metadata.namespace && namespace && object.metadata.namespace !== namespace) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    object.metadata.namespace = namespace ?? object.metadata.namespace;
  } else {
    delete object.metadata.namespace;
  }
}

/** Prunes, defaults and validates against the schema for `version`; honours fieldValidation. */
export function applySchema(
  type: ResourceType,
  version: string,
  object: KubeObject,
  options: WriteOptions,
): void {
  const unknown: string[] = [];
  for (const name of Object.keys(object.metadata)) {
    if (!knownMetadata.has(name)) {
      unknown.push(`metadata.${name}`);
      delete object.metadata[name];
    }
  }
  const schema = type.schemas.get(version);
  if (schema) {
    const { apiVersion, kind, metadata, ...rest } = object;
    const body: Record<string, unknown> = rest;
    pruneValue(
      body,
      { ...schema, properties: { ...schema.properties, apiVersion: {}, kind: {}, metadata: {} } },
      "",
      unknown,
    );
    applyDefaults(body, schema);
    for (const name of Object.keys(object))
      if (!["apiVersion", "kind", "metadata"].includes(name) && !(name in body)) delete object[name];
    Object.assign(object, body);
    const causes = validateValue(
      body,
      {
        ...schema,
        properties: { ...schema.properties, apiVersion: {}, kind: {}, metadata: {} },
        required: schema.required,
      },
      "",
    );
    if (causes.length > 0) throw invalid(type, object.metadata.name ?? "", causes);
  }
  if (unknown.length === 0) return;
  if (options.fieldValidation === "Strict") {
    const list = unknown.map((path) => `unknown field "${path}"`).join(", ");
    throw badRequest(`strict decoding error: ${list}`);
  }
  if (options.fieldValidation === "Warn")
    for (const path of unknown) options.warnings.push(`unknown field "${path}"`);
}

/** ObjectMeta rules for every kind, then the content rules of ConfigMaps and Secrets. */
function validateObject(type: ResourceType, object: KubeObject): void {
  const causes = objectMetaCauses(type.kind, object);
  if (type.builtIn && type.group === "" && type.kind === "Secret") causes.push(...secretCauses(object));
  if (type.builtIn && type.group === "" && type.kind === "ConfigMap") causes.push(...configMapCauses(object));
  if (causes.length > 0) throw invalid(type, String(object.metadata.name ?? ""), causes);
}

function randomSuffix(): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  return Array.from({ length: 5 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join("");
}

function kindSpecificDefaults(type: ResourceType, object: KubeObject): void {
  if (type.builtIn && type.group === "" && type.kind === "Secret") {
    const stringData = object.stringData as Record<string, string> | undefined;
    if (stringData) {
      const data = { ...((object.data as Record<string, string>) ?? {}) };
      for (const [key, value] of Object.entries(stringData))
        data[key] = Buffer.from(value).toString("base64");
      object.data = data;
      delete object.stringData;
    }
    // Like the apiserver's defaulting: protobuf bodies carry an empty type rather than none.
    if (!object.type) object.type = "Opaque";
  }
  if (type.builtIn && type.kind === "Namespace") {
    const spec = (object.spec ?? {}) as { finalizers?: string[] };
    spec.finalizers ??= ["kubernetes"];
    object.spec = spec;
    object.status = {
      ...((object.status as object) ?? {}),
      phase: object.metadata.deletionTimestamp ? "Terminating" : "Active",
    };
  }
}

/** The parts of an object that bump generation when they change. */
function specPart(type: ResourceType, object: KubeObject): string {
  const { metadata: _m, status, apiVersion: _a, kind: _k, ...rest } = object;
  return JSON.stringify(type.statusSubresource ? rest : { ...rest, status });
}

export function admitCreate(
  type: ResourceType,
  version: string,
  incoming: KubeObject,
  options: WriteOptions,
): KubeObject {
  const object = structuredClone(incoming);
  if (!object.metadata.name && object.metadata.generateName)
    object.metadata.name = `${object.metadata.generateName}${randomSuffix()}`;
  if (object.metadata.resourceVersion) {
    throw badRequest("resourceVersion should not be set on objects to be created");
  }
  if (type.statusSubresource && !type.builtIn) delete object.status;
  applySchema(type, version, object, options);
  kindSpecificDefaults(type, object);
  validateObject(type, object);
  object.metadata.uid = randomUUID();
  object.metadata.creationTimestamp = timestamp();
  object.metadata.generation = 1;
  delete object.metadata.deletionTimestamp;
  delete object.metadata.deletionGracePeriodSeconds;
  delete object.metadata.selfLink;
  return object;
}

/** Update through the main endpoint (status preserved) or /status (only status taken). */
export function admitUpdate(
  type: ResourceType,
  version: string,
  existing: KubeObject,
  incoming: KubeObject,
  options: WriteOptions,
): KubeObject {
  const requested = incoming.metadata.resourceVersion;
  if (!requested && !type.builtIn) {
    throw invalid(type, existing.metadata.name ?? "", [
      { field: "metadata.resourceVersion", message: "Invalid value: 0x0: must be specified for an update" },
    ]);
  }
  if (requested && requested !== existing.metadata.resourceVersion) {
    throw conflict(type, existing.metadata.name ?? "", staleObjectMessage);
  }
  if (incoming.metadata.name && incoming.metadata.name !== existing.metadata.name) {
    throw badRequest(
      `the name of the object (${incoming.metadata.name}) does not match the name on the URL (${existing.metadata.name})`,
    );
  }
  let object: KubeObject;
  if (options.subresource === "status") {
    object = { ...structuredClone(existing), status: structuredClone(incoming.status) };
    if (object.status === undefined) delete object.status;
    // Status writes may not change metadata, except managedFields bookkeeping done by the caller.
  } else {
    object = structuredClone(incoming);
    if (type.statusSubresource) {
      if (existing.status === undefined) delete object.status;
      else object.status = structuredClone(existing.status);
    }
  }
  applySchema(type, version, object, options);
  kindSpecificDefaults(type, object);
  validateObject(type, object);
  const meta = object.metadata;
  meta.uid = existing.metadata.uid;
  meta.creationTimestamp = existing.metadata.creationTimestamp;
  meta.deletionTimestamp = existing.metadata.deletionTimestamp;
  meta.deletionGracePeriodSeconds = existing.metadata.deletionGracePeriodSeconds;
  if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
  if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
  if (meta.finalizers?.length === 0) delete meta.finalizers;
  if (existing.metadata.deletionTimestamp) {
    const before = new Set(existing.metadata.finalizers ?? []);
    const added = (meta.finalizers ?? []).filter((f) => !before.has(f));
    if (added.length > 0) {
      throw invalid(type, meta.name ?? "", [
        {
          reason: "FieldValueForbidden",
          field: "metadata.finalizers",
          message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => `"${f}"`).join(", ")}}`,
        },
      ]);
    }
  }
  rejectImmutableChange(type, existing, object);
  const generation = existing.metadata.generation ?? 1;
  meta.generation = specPart(type, object) === specPart(type, existing) ? generation : generation + 1;
  return object;
}

/** ConfigMaps and Secrets marked `immutable: true` keep their data (and stay immutable). */
function rejectImmutableChange(type: ResourceType, existing: KubeObject, object: KubeObject): void {
  if (!type.builtIn || (type.kind !== "ConfigMap" && type.kind !== "Secret") || existing.immutable !== true)
    return;
  const causes: StatusCause[] = [];
  for (const field of ["data", "binaryData"]) {
    if (JSON.stringify(existing[field]) !== JSON.stringify(object[field])) {
      causes.push({
        reason: "FieldValueForbidden",
        field,
        message: "Forbidden: field is immutable when `immutable` is set",
      });
    }
  }
  if (object.immutable !== true) {
    causes.push({
      reason: "FieldValueForbidden",
      field: "immutable",
      message: "Forbidden: field is immutable when `immutable` is set",
    });
  }
  if (causes.length > 0) throw invalid(type, existing.metadata.name ?? "", causes);
}
