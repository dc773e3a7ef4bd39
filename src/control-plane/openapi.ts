/**
 * OpenAPI v3 documents, enough for kubectl: its strict field validation looks
 * for a PATCH operation carrying the kind's x-kubernetes-group-version-kind
 * and a `fieldValidation` query parameter; `kubectl explain` reads the schemas.
 * Strategic merge is not advertised, so kubectl picks its patch type the way
 * it does for a real cluster's custom resources (merge patch) and uses its
 * compiled-in types for the built-in kinds (strategic merge).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "./http-util.js";
import type { Registry } from "./registry.js";
import type { ResourceType } from "./resource-type.js";
import type { JsonSchema } from "./schema/types.js";

const objectMetaRef = "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

const objectMeta: JsonSchema = {
  description: "ObjectMeta is metadata that all persisted resources must have.",
  type: "object",
  properties: {
    name: { type: "string", description: "Name must be unique within a namespace." },
    generateName: { type: "string" },
    namespace: {
      type: "string",
      description: "Namespace defines the space within which each name must be unique.",
    },
    uid: { type: "string" },
    resourceVersion: { type: "string" },
    generation: { type: "integer", format: "int64" },
    creationTimestamp: { type: "string", format: "date-time" },
    deletionTimestamp: { type: "string", format: "date-time" },
    deletionGracePeriodSeconds: { type: "integer", format: "int64" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
    finalizers: { type: "array", items: { type: "string" } },
    ownerReferences: {
      type: "array",
      items: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    },
    managedFields: { type: "array", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
  },
};

function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** The schema name kubectl explain shows: `io.k8s.api.core.v1.Secret`, `com.example.v1.Widget`. */
function schemaName(type: ResourceType, version: string): string {
  if (type.builtIn) {
    const group = type.group ? type.group.replace(/\.k8s\.io$/, "") : "core";
    return type.group === "apiextensions.k8s.io"
      ? `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${type.kind}`
      : `io.k8s.api.${group}.${version}.${type.kind}`;
  }
  return `${type.group.split(".").reverse().join(".")}.${version}.${type.kind}`;
}

function resourceSchema(type: ResourceType, version: string): Record<string, unknown> {
  const schema = type.schemas.get(version) ?? { type: "object" };
  return {
    ...schema,
    type: "object",
    properties: {
      apiVersion: {
        type: "string",
        description: "APIVersion defines the versioned schema of this representation of an object.",
      },
      kind: {
        type: "string",
        description: "Kind is a string value representing the REST resource this object represents.",
      },
      metadata: { allOf: [{ $ref: objectMetaRef }], description: "Standard object's metadata." },
      ...Object.fromEntries(
        Object.entries(schema.properties ?? {}).filter(
          ([name]) => !["apiVersion", "kind", "metadata"].includes(name),
        ),
      ),
    },
    "x-kubernetes-group-version-kind": [{ group: type.group, kind: type.kind, version }],
  };
}

function queryParameter(name: string, description: string): Record<string, unknown> {
  return { name, in: "query", description, schema: { type: "string", uniqueItems: true } };
}

function operations(type: ResourceType, version: string): Record<string, unknown> {
  const ref = { $ref: `#/components/schemas/${schemaName(type, version)}` };
  const gvk = { group: type.group, version, kind: type.kind };
  const json = { "application/json": { schema: ref } };
  const ok = { "200": { description: "OK", content: json } };
  const writeParams = [
    queryParameter("dryRun", "When present, indicates that modifications should not be persisted."),
    queryParameter(
      "fieldManager",
      "fieldManager is a name associated with the actor or entity that is making these changes.",
    ),
    queryParameter(
      "fieldValidation",
      "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.",
    ),
  ];
  const item = {
    get: {
      operationId: `read${type.kind}`,
      "x-kubernetes-action": "get",
      "x-kubernetes-group-version-kind": gvk,
      responses: ok,
    },
    put: {
      operationId: `replace${type.kind}`,
      "x-kubernetes-action": "put",
      "x-kubernetes-group-version-kind": gvk,
      parameters: writeParams,
      requestBody: { content: json },
      responses: ok,
    },
    patch: {
      operationId: `patch${type.kind}`,
      "x-kubernetes-action": "patch",
      "x-kubernetes-group-version-kind": gvk,
      parameters: [...writeParams, queryParameter("force", "Force is going to force Apply requests.")],
      requestBody: {
        content: {
          "application/json-patch+json": { schema: { type: "object" } },
          "application/merge-patch+json": { schema: { type: "object" } },
          "application/apply-patch+yaml": { schema: { type: "object" } },
        },
      },
      responses: ok,
    },
    delete: {
      operationId: `delete${type.kind}`,
      "x-kubernetes-action": "delete",
      "x-kubernetes-group-version-kind": gvk,
      responses: ok,
    },
  };
  const collection = {
    get: {
      operationId: `list${type.kind}`,
      "x-kubernetes-action": "list",
      "x-kubernetes-group-version-kind": gvk,
      responses: ok,
    },
    post: {
      operationId: `create${type.kind}`,
      "x-kubernetes-action": "post",
      "x-kubernetes-group-version-kind": gvk,
      parameters: writeParams,
      requestBody: { content: json },
      responses: ok,
    },
  };
  const base = `/${groupVersionPath(type.group, version)}`;
  const scope = type.namespaced ? "/namespaces/{namespace}" : "";
  const paths: Record<string, unknown> = {
    [`${base}${scope}/${type.plural}`]: collection,
    [`${base}${scope}/${type.plural}/{name}`]: item,
  };
  if (type.statusSubresource) {
    paths[`${base}${scope}/${type.plural}/{name}/status`] = {
      get: item.get,
      put: { ...item.put, operationId: `replace${type.kind}Status` },
      patch: { ...item.patch, operationId: `patch${type.kind}Status` },
    };
  }
  return paths;
}

export function groupVersionDocument(
  registry: Registry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.all().filter((t) => t.group === group && t.servedVersions.includes(version));
  if (types.length === 0) return undefined;
  const schemas: Record<string, unknown> = { "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": objectMeta };
  let paths: Record<string, unknown> = {};
  for (const type of types) {
    schemas[schemaName(type, version)] = resourceSchema(type, version);
    paths = { ...paths, ...operations(type, version) };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.0" },
    paths,
    components: { schemas },
  };
}

export function documentHash(document: unknown): string {
  return createHash("sha512").update(JSON.stringify(document)).digest("hex").slice(0, 128).toUpperCase();
}

export function rootDocument(registry: Registry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const groupVersions: [string, string][] = [["", "v1"]];
  for (const group of registry.groups())
    for (const version of group.versions) groupVersions.push([group.name, version]);
  for (const [group, version] of groupVersions) {
    const document = groupVersionDocument(registry, group, version);
    if (!document) continue;
    const path = groupVersionPath(group, version);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${documentHash(document)}` };
  }
  return { paths };
}

const openApiV2Protobuf = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

/**
 * /openapi/v2 without definitions. kubectl validates a `kind: List` on the
 * client with OpenAPI v2 (its v3 check treats v1 List as unsupported) and
 * fails when the document is missing; with no definitions it skips each item
 * and the server validates them (kubectl sends fieldValidation=Strict). Every
 * other client reads the v3 documents above. An empty protobuf message is
 * zero bytes.
 */
export function sendOpenApiV2(request: IncomingMessage, response: ServerResponse): void {
  if ((request.headers.accept ?? "").includes(openApiV2Protobuf)) {
    // The protobuf media type itself is not a valid Content-Type (client-go refuses its "@").
    response.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": "0" }).end();
    return;
  }
  sendJson(response, 200, {
    swagger: "2.0",
    info: { title: "clusterform", version: "v1.32.0" },
    paths: {},
    definitions: {},
  });
}
