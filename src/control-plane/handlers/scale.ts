/**
 * The scale subresource: an autoscaling/v1 Scale view of an object, read
 * from and written to the paths its CRD names (`kubectl scale` uses it).
 */
import {
  conflict,
  invalid,
  methodNotAllowed,
  pathNotFound,
  staleObjectMessage,
  unsupportedMediaType,
} from "../api-error.js";
import { parseJsonText } from "../body-parse.js";
import { readBody, sendJson } from "../http-util.js";
import { applyJsonPatchRequest } from "../patch/json-patch.js";
import { mergePatch } from "../patch/merge.js";
import type { ScaleSubresource } from "../resource-type.js";
import type { KubeObject } from "../store.js";
import { shown } from "../validation/names.js";
import { parseJsonBody, type RequestContext, requestOptions } from "./context.js";

const int32Max = 2 ** 31 - 1;

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

/** autoscaling/v1 Scale's spec.replicas is an int32 of at least 0. */
function scaleReplicas(next: Record<string, unknown>, name: string): number {
  const spec = next?.spec;
  const replicas =
    spec !== null && typeof spec === "object" ? (spec as { replicas?: unknown }).replicas : undefined;
  if (Number.isInteger(replicas) && (replicas as number) >= 0 && (replicas as number) <= int32Max)
    return replicas as number;
  const why =
    typeof replicas === "number" && Number.isInteger(replicas) && replicas > int32Max
      ? `must be no more than ${int32Max}`
      : "must be greater than or equal to 0 and an integer";
  throw invalid({ group: "autoscaling", plural: "scales", kind: "Scale" }, name, [
    { field: "spec.replicas", message: `Invalid value: ${shown(replicas)}: ${why}` },
  ]);
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
    const patch = parseJsonText(raw, "error decoding patch");
    if (
      contentType === "application/merge-patch+json" ||
      contentType === "application/strategic-merge-patch+json"
    ) {
      next = mergePatch(current, patch) as Record<string, unknown>;
    } else if (contentType === "application/json-patch+json") {
      next = applyJsonPatchRequest(current, patch);
    } else throw unsupportedMediaType(contentType ?? "");
  }
  const replicas = scaleReplicas(next, route.name);
  // The object with its new replica count goes through the same admission as any
  // update, so the CRD schema's bounds on the replicas field (a `maximum`) apply.
  const updated = structuredClone(existing);
  writePath(updated as Record<string, unknown>, scale.specReplicasPath, replicas);
  const options = requestOptions(context);
  const stored = service.update(type, type.version, route.namespace, route.name, updated, options);
  sendJson(response, 200, scaleOf(stored, scale));
}
