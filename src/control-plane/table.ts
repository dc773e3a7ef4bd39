/**
 * Server-side printing: `kubectl get` asks for `as=Table` and prints the
 * columns and cells it gets (priority > 0 columns only with -o wide).
 */
import { evaluateJsonPath } from "./jsonpath.js";
import type { ResourceType } from "./resource-type.js";
import type { KubeObject } from "./store.js";

export interface TableRequest {
  version: "v1" | "v1beta1";
}

/** The Table version an Accept header asks for, if it prefers a Table. */
export function tableRequested(accept: string | undefined): TableRequest | undefined {
  for (const mediaType of (accept ?? "").split(",")) {
    const [type, ...params] = mediaType.split(";").map((p) => p.trim());
    if (type !== "application/json" && type !== "*/*") continue;
    const values = Object.fromEntries(
      params.map((p) => p.split("=").map((s) => s.trim()) as [string, string]),
    );
    if (
      values.as === "Table" &&
      values.g === "meta.k8s.io" &&
      (values.v === "v1" || values.v === "v1beta1")
    ) {
      return { version: values.v };
    }
    if (!values.as) return undefined;
  }
  return undefined;
}

/** kubectl's short age format ("45s", "3m12s", "5h", "12d"). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 2) return `${days}d`;
  if (hours < 24 * 365 * 8)
    return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

function cell(object: KubeObject, jsonPath: string, type: string): unknown {
  if (jsonPath.endsWith(".@count")) {
    const target = evaluateJsonPath(object, jsonPath.slice(0, -".@count".length))[0];
    return target && typeof target === "object" ? Object.keys(target).length : 0;
  }
  const values = evaluateJsonPath(object, jsonPath);
  if (values.length === 0) return null;
  const value =
    values.length === 1
      ? values[0]
      : values.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(",");
  if (type === "date" && typeof value === "string") {
    const time = Date.parse(value);
    return Number.isNaN(time) ? value : humanDuration(Date.now() - time);
  }
  if (typeof value === "object") return JSON.stringify(value);
  return value;
}

export function buildTable(
  type: ResourceType,
  version: string,
  objects: KubeObject[],
  listMetadata: Record<string, unknown>,
  request: TableRequest,
  includeObject: string,
  withColumns = true,
): Record<string, unknown> {
  const columns = type.printerColumns.get(version) ?? [];
  const definitions = [
    {
      name: "Name",
      type: "string",
      format: "name",
      description: "Name must be unique within a namespace.",
      priority: 0,
    },
    ...columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? "",
      description: c.description ?? "",
      priority: c.priority ?? 0,
    })),
  ];
  const rows = objects.map((object) => ({
    cells: [object.metadata.name, ...columns.map((c) => cell(object, c.jsonPath, c.type))],
    object: rowObject(object, includeObject, request),
  }));
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${request.version}`,
    metadata: listMetadata,
    ...(withColumns ? { columnDefinitions: definitions } : { columnDefinitions: null }),
    rows,
  };
}

function rowObject(object: KubeObject, includeObject: string, request: TableRequest): unknown {
  if (includeObject === "None") return undefined;
  if (includeObject === "Object") return object;
  return {
    kind: "PartialObjectMetadata",
    apiVersion: `meta.k8s.io/${request.version}`,
    metadata: object.metadata,
  };
}
