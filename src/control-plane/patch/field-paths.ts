/**
 * Field paths for managedFields (FieldsV1): `f:<field>` for object fields,
 * `k:{...}` for items of map-type lists, `v:<value>` for set-type lists;
 * other lists are atomic. Paths are kept as JSON-encoded segment arrays.
 */
import type { JsonSchema } from "../schema/types.js";

export type FieldPath = string[];

type Json = unknown;

function childSchema(schema: JsonSchema | undefined, name: string): JsonSchema | undefined {
  if (!schema) return undefined;
  return (
    schema.properties?.[name] ??
    (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined)
  );
}

function listKeys(schema: JsonSchema | undefined): string[] | undefined {
  if (schema?.["x-kubernetes-list-type"] === "map") return schema["x-kubernetes-list-map-keys"] ?? [];
  return undefined;
}

function keySegment(item: Record<string, unknown>, keys: string[]): string {
  const key: Record<string, unknown> = {};
  for (const name of [...keys].sort()) key[name] = item[name];
  return `k:${JSON.stringify(key)}`;
}

/** Leaf paths of a value, skipping fields the server owns. */
export function leafPaths(value: Json, schema: JsonSchema | undefined, prefix: FieldPath = []): FieldPath[] {
  if (value === null || typeof value !== "object") return prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) {
    const keys = listKeys(schema);
    if (keys && value.every((item) => item && typeof item === "object")) {
      return value.flatMap((item) => {
        const segment = keySegment(item as Record<string, unknown>, keys);
        const inner = leafPaths(item, schema?.items, [...prefix, segment]);
        return inner.length > 0 ? inner : [[...prefix, segment]];
      });
    }
    if (schema?.["x-kubernetes-list-type"] === "set") {
      return value.map((item) => [...prefix, `v:${JSON.stringify(item)}`]);
    }
    return prefix.length > 0 ? [prefix] : [];
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return prefix.length > 0 ? [prefix] : [];
  return entries.flatMap(([name, child]) =>
    leafPaths(child, childSchema(schema, name), [...prefix, `f:${name}`]),
  );
}

/** The value at a path, or undefined. */
export function valueAt(value: Json, path: FieldPath): Json {
  let current: Json = value;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    if (segment.startsWith("f:")) {
      current = Array.isArray(current) ? undefined : (current as Record<string, unknown>)[segment.slice(2)];
    } else if (Array.isArray(current)) {
      current = current.find((item) => itemMatches(item, segment));
    } else return undefined;
  }
  return current;
}

function itemMatches(item: unknown, segment: string): boolean {
  if (segment.startsWith("v:")) return JSON.stringify(item) === segment.slice(2);
  if (!segment.startsWith("k:") || !item || typeof item !== "object") return false;
  const key = JSON.parse(segment.slice(2)) as Record<string, unknown>;
  return Object.entries(key).every(
    ([k, v]) => JSON.stringify((item as Record<string, unknown>)[k]) === JSON.stringify(v),
  );
}

/** Removes the value at a path (and parents left empty by it). */
export function removeAt(value: Json, path: FieldPath): void {
  if (path.length === 0 || value === null || typeof value !== "object") return;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) {
    const index = value.findIndex((item) => itemMatches(item, head));
    if (index < 0) return;
    if (rest.length === 0) value.splice(index, 1);
    else removeAt(value[index], rest);
    return;
  }
  if (!head.startsWith("f:")) return;
  const object = value as Record<string, unknown>;
  const name = head.slice(2);
  if (rest.length === 0) {
    delete object[name];
    return;
  }
  removeAt(object[name], rest);
  const child = object[name];
  if (child && typeof child === "object" && !Array.isArray(child) && Object.keys(child).length === 0)
    delete object[name];
}

export function pathsToFieldsV1(paths: FieldPath[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    let node = root;
    for (const segment of path) {
      node[segment] ??= {};
      node = node[segment] as Record<string, unknown>;
    }
  }
  return root;
}

export function fieldsV1ToPaths(fields: Record<string, unknown>, prefix: FieldPath = []): FieldPath[] {
  const entries = Object.entries(fields).filter(([segment]) => segment !== ".");
  if (entries.length === 0) return prefix.length > 0 ? [prefix] : [];
  return entries.flatMap(([segment, child]) =>
    fieldsV1ToPaths((child ?? {}) as Record<string, unknown>, [...prefix, segment]),
  );
}

/** A readable path for conflict messages: `.spec.replicas`, `.spec.items[name="a"]`. */
export function displayPath(path: FieldPath): string {
  return path
    .map((segment) => {
      if (segment.startsWith("f:")) return `.${segment.slice(2)}`;
      if (segment.startsWith("k:")) {
        const key = JSON.parse(segment.slice(2)) as Record<string, unknown>;
        return `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(",")}]`;
      }
      return `[${segment.slice(2)}]`;
    })
    .join("");
}
