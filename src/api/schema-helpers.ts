import { type TSchema, Type } from "@sinclair/typebox";

// Helpers that emit JSON Schema a Kubernetes structural CRD schema accepts
// (no patternProperties, int-or-string spelled the Kubernetes way) while
// still giving TypeScript the static type.

/** A map of string to string (labels, annotations, tags). */
export const StringMap = (description?: string) =>
  Type.Unsafe<Record<string, string>>({
    type: "object",
    additionalProperties: { type: "string" },
    ...(description ? { description } : {}),
  });

/** An integer or a percentage string, e.g. maxSurge: 1 or "25%". */
export const IntOrString = (description?: string) =>
  Type.Unsafe<number | string>({
    "x-kubernetes-int-or-string": true,
    anyOf: [{ type: "integer" }, { type: "string" }],
    ...(description ? { description } : {}),
  });

/** An object kept as written: the server neither prunes nor checks it. */
export const OpaqueObject = (description?: string) =>
  Type.Unsafe<Record<string, unknown>>({
    type: "object",
    "x-kubernetes-preserve-unknown-fields": true,
    ...(description ? { description } : {}),
  });

export const StringList = (description?: string) =>
  Type.Array(Type.String(), description ? { description } : {});

export const Opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
