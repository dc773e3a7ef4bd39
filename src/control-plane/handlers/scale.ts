/**
 * The scale subresource: an autoscaling/v1 Scale view of an object, read
 * from and written to the paths its CRD names (`kubectl scale` uses it).
 */
import {
  badRequest,
  conflict,
  methodNotAllowed,
  pathNotFound,
  staleObjectMessage,
  unsupportedMediaType,
} from "../api-error.js";
import { readBody, sendJson } from "../http-util.js";
import { applyJsonPatch, type JsonPatchOperation } from "../patch/json-patch.js";
import { mergePatch } from "../patch/merge.js";
import type { ScaleSubresource } from "../resource-type.js";
import type { KubeObject } from "../store.js";
import { parseJsonBody, type RequestContext, requestOptions } from "./context.js";

function readPath(object: unknown, path: string): unknown {
  let current = object;
  for (const part of path.split(".").filter(Boolean)) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function writePath(object: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".").filter(Boolean);
  let current = object;
  for (const part of parts.slice(0, -1)) {
    if (current[part] === null || typeof current[part] !== "object") current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1] as string] = value;
}

function scaleOf(object: KubeObject, scale: ScaleSubresource): Record<string, unknown> {
  const selector = scale.labelSelectorPath ? readPath(object, scale.labelSelectorPath) : undefined;
  const meta = object.metadata;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: meta.name,
      ...(meta.namespace ? { namespace: meta.namespace } : {}),
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: (readPath(object, scale.specReplicasPath) as number | undefined) ?? 0 },
    status: {
      replicas: (readPath(object, scale.statusReplicasPath) as number | undefined) ?? 0,
      ...(typeof selector === "string" ? { selector } : {}),
    },
  };
}

export async function handleScale(context: RequestContext): Promise<void> {
  const { type, route, service, request, response } = context;
  const scale = type.scale;
  if (!scale || !route.name) throw pathNotFound();
  const existing = service.get(type, route.namespace, route.name);
  const method = request.method ?? "GET";
  if (method === "GET") {
    sendJson(response, 200, scaleOf(existing, scale));
    return;
  }
  if (method !== "PUT" && method !== "PATCH")
    throw methodNotAllowed(`${method} is not supported on ${type.plural}/scale`);
  const raw = await readBody(request);
  const current = scaleOf(existing, scale);
  let next: Record<string, unknown>;
  if (method === "PUT") {
    next = parseJsonBody(raw);
    const requested = (next.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    if (requested && requested !== existing.metadata.resourceVersion)
      throw conflict(type, route.name, staleObjectMessage);
  } else {
    const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim();
    const patch = JSON.parse(raw) as unknown;
    if (
      contentType === "application/merge-patch+json" ||
      contentType === "application/strategic-merge-patch+json"
    ) {
      next = mergePatch(current, patch) as Record<string, unknown>;
    } else if (contentType === "application/json-patch+json") {
      next = applyJsonPatch(current, patch as JsonPatchOperation[]);
    } else throw unsupportedMediaType(contentType ?? "");
  }
  const replicas = (next.spec as { replicas?: unknown } | undefined)?.replicas;
  if (!Number.isInteger(replicas) || (replicas as number) < 0) {
    throw badRequest(
      `Scale.autoscaling "${route.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be a non-negative integer`,
    );
  }
  const updated = structuredClone(existing);
  writePath(updated as Record<string, unknown>, scale.specReplicasPath, replicas);
  const options = requestOptions(context);
  const stored = service.update(type, type.version, route.namespace, route.name, updated, options);
  sendJson(response, 200, scaleOf(stored, scale));
}
