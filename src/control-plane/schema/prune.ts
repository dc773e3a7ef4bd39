/**
 * Pruning of fields a structural schema does not declare (unless
 * x-kubernetes-preserve-unknown-fields), and defaulting. Both walk the value
 * and the schema together and change the value in place.
 */
import type { JsonSchema } from "./types.js";

/** Removes undeclared fields; returns their paths (`spec.unknown`). */
export function pruneValue(value: unknown, schema: JsonSchema, path: string, pruned: string[]): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    if (schema.items) {
      value.forEach((item, index) => {
        pruneValue(item, schema.items as JsonSchema, `${path}[${index}]`, pruned);
      });
    }
    return;
  }
  const object = value as Record<string, unknown>;
  const prefix = path ? `${path}.` : "";
  if (schema["x-kubernetes-embedded-resource"]) {
    for (const name of Object.keys(object)) {
      if (
        !schema.properties?.[name] &&
        !["apiVersion", "kind", "metadata"].includes(name) &&
        !schema["x-kubernetes-preserve-unknown-fields"]
      ) {
        pruned.push(`${prefix}${name}`);
        delete object[name];
      }
    }
  }
  for (const [name, child] of Object.entries(object)) {
    const childSchema = schema.properties?.[name];
    if (childSchema) {
      pruneValue(child, childSchema, `${prefix}${name}`, pruned);
    } else if (typeof schema.additionalProperties === "object") {
      pruneValue(child, schema.additionalProperties, `${prefix}${name}`, pruned);
    } else if (
      !schema["x-kubernetes-preserve-unknown-fields"] &&
      schema.additionalProperties !== true &&
      !(schema["x-kubernetes-embedded-resource"] && ["apiVersion", "kind", "metadata"].includes(name))
    ) {
      pruned.push(`${prefix}${name}`);
      delete object[name];
    }
  }
}

/** Fills `default`s for absent fields, deepest first like the apiserver. */
export function applyDefaults(value: unknown, schema: JsonSchema): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applyDefaults(item, schema.items);
    return;
  }
  const object = value as Record<string, unknown>;
  for (const [name, childSchema] of Object.entries(schema.properties ?? {})) {
    if (object[name] === undefined && childSchema.default !== undefined) {
      object[name] = structuredClone(childSchema.default);
    }
    if (object[name] !== undefined) applyDefaults(object[name], childSchema);
  }
  if (typeof schema.additionalProperties === "object") {
    for (const [name, child] of Object.entries(object)) {
      if (!schema.properties?.[name]) applyDefaults(child, schema.additionalProperties);
    }
  }
}
