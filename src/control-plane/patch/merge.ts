/**
 * JSON merge patch (RFC 7386), strategic merge patch for the built-in kinds,
 * and the merge server-side apply uses.
 */
import type { JsonSchema } from "../schema/types.js";

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    else result[name] = mergePatch(result[name], value);
  }
  return result;
}

/**
 * Lists the built-in kinds merge by key instead of replacing, as their Go
 * types declare with patchStrategy=merge (path without indices).
 */
const mergeKeys: Record<string, string> = {
  "metadata.ownerReferences": "uid",
};
const mergedPrimitiveLists = new Set(["metadata.finalizers"]);

export function strategicMergePatch(target: unknown, patch: unknown, path = ""): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === "replace") {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch.$patch === "delete") return undefined;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  const retainKeys = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [name, value] of Object.entries(patch)) {
    if (name === "$patch" || name === "$retainKeys" || name.startsWith("$setElementOrder/")) continue;
    if (name.startsWith("$deleteFromPrimitiveList/")) {
      const field = name.slice("$deleteFromPrimitiveList/".length);
      const current = Array.isArray(result[field]) ? (result[field] as unknown[]) : [];
      const drop = new Set((value as unknown[]).map((v) => JSON.stringify(v)));
      result[field] = current.filter((item) => !drop.has(JSON.stringify(item)));
      continue;
    }
    const childPath = path ? `${path}.${name}` : name;
    if (value === null) {
      delete result[name];
    } else if (Array.isArray(value)) {
      result[name] = mergeList(result[name], value, childPath);
    } else {
      const merged = strategicMergePatch(result[name], value, childPath);
      if (merged === undefined) delete result[name];
      else result[name] = merged;
    }
  }
  if (retainKeys) for (const name of Object.keys(result)) if (!retainKeys.includes(name)) delete result[name];
  return result;
}

function mergeList(current: unknown, patch: unknown[], path: string): unknown[] {
  const existing = Array.isArray(current) ? current : [];
  if (mergedPrimitiveLists.has(path)) {
    const seen = new Set(existing.map((v) => JSON.stringify(v)));
    return [...existing, ...patch.filter((v) => !seen.has(JSON.stringify(v)))];
  }
  const mergeKey = mergeKeys[path];
  if (!mergeKey) return structuredClone(patch.filter((item) => !(isObject(item) && item.$patch)));
  const result = [...existing];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = result.findIndex((e) => isObject(e) && e[mergeKey] === item[mergeKey]);
    if (item.$patch === "delete") {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) result[index] = strategicMergePatch(result[index], item, path);
    else result.push(strategicMergePatch({}, item, path));
  }
  return result;
}

/** Server-side apply merge: objects merge, map-type lists merge by key, other values replace. */
export function applyMerge(target: unknown, config: unknown, schema: JsonSchema | undefined): unknown {
  if (isObject(config)) {
    const result: JsonObject = isObject(target) ? { ...target } : {};
    for (const [name, value] of Object.entries(config)) {
      const child =
        schema?.properties?.[name] ??
        (typeof schema?.additionalProperties === "object" ? schema.additionalProperties : undefined);
      if (value === null) continue;
      result[name] = applyMerge(result[name], value, name === "metadata" ? undefined : child);
    }
    return result;
  }
  if (Array.isArray(config) && schema?.["x-kubernetes-list-type"] === "map" && Array.isArray(target)) {
    const keys = schema["x-kubernetes-list-map-keys"] ?? [];
    const result = [...target];
    for (const item of config) {
      const index = result.findIndex((e) =>
        keys.every((k) => isObject(e) && isObject(item) && e[k] === item[k]),
      );
      if (index >= 0) result[index] = applyMerge(result[index], item, schema.items);
      else result.push(structuredClone(item));
    }
    return result;
  }
  if (Array.isArray(config) && schema?.["x-kubernetes-list-type"] === "set" && Array.isArray(target)) {
    const seen = new Set(target.map((v) => JSON.stringify(v)));
    return [...target, ...config.filter((v) => !seen.has(JSON.stringify(v)))];
  }
  return structuredClone(config);
}
