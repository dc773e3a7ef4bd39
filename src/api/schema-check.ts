import type { TSchema } from "@sinclair/typebox";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { joinPath, type PathError, pointerSegments } from "./field-path.js";
import { KINDS, type KindName } from "./kinds.js";
import { type JsonSchema, toKubeSchema, toStrictSchema } from "./kube-schema.js";
import { API_VERSION } from "./meta.js";

// strict: false lets ajv ignore the x-kubernetes-* keywords; allErrors lists
// every problem at once instead of the first; verbose gives anyOf its schema.
const ajv = new Ajv({ strict: false, allErrors: true, verbose: true });
ajv.addFormat("date-time", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i);

/** Metadata as manifests may carry it: only the fields clusterform reads are checked. */
const METADATA_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: true,
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1 },
    namespace: { type: "string" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
  },
};

/** The whole object (apiVersion, kind, metadata, body) as ajv checks it. */
export function objectValidationSchema(kind: KindName): JsonSchema {
  const body = toKubeSchema(KINDS[kind].body);
  return toStrictSchema({
    type: "object",
    required: ["apiVersion", "kind", "metadata", ...((body.required as string[] | undefined) ?? [])],
    properties: {
      apiVersion: { type: "string", enum: [API_VERSION] },
      kind: { type: "string", enum: [kind] },
      metadata: METADATA_SCHEMA,
      ...(body.properties as JsonSchema),
    },
  });
}

const byKind = new Map<KindName, ValidateFunction>();
const bySchema = new WeakMap<object, ValidateFunction>();

/** Schema problems of a whole object of a known kind, paths from the object's root. */
export function checkObjectSchema(kind: KindName, object: unknown): PathError[] {
  let validate = byKind.get(kind);
  if (!validate) {
    validate = ajv.compile(objectValidationSchema(kind));
    byKind.set(kind, validate);
  }
  return validate(object) ? [] : toPathErrors(validate.errors ?? [], "");
}

/** Schema problems of `value` against a TypeBox schema, paths under `base`. */
export function checkSchema(schema: TSchema, value: unknown, base: string): PathError[] {
  let validate = bySchema.get(schema);
  if (!validate) {
    validate = ajv.compile(toStrictSchema(toKubeSchema(schema)));
    bySchema.set(schema, validate);
  }
  return validate(value) ? [] : toPathErrors(validate.errors ?? [], base);
}

function toPathErrors(errors: ErrorObject[], base: string): PathError[] {
  // An anyOf failure explains itself; its branches' errors only add noise.
  const anyOfPaths = errors.filter((e) => e.keyword === "anyOf").map((e) => `${e.schemaPath}/`);
  const kept = errors.filter((e) => !anyOfPaths.some((prefix) => e.schemaPath.startsWith(prefix)));
  const seen = new Set<string>();
  const problems: PathError[] = [];
  for (const error of kept) {
    const problem = toPathError(error, base);
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) problems.push(problem);
    seen.add(key);
  }
  return problems;
}

function toPathError(error: ErrorObject, base: string): PathError {
  const segments = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { path: joinPath(base, ...segments, String(params.missingProperty)), message: "required" };
    case "additionalProperties":
      return {
        path: joinPath(base, ...segments, String(params.additionalProperty)),
        message: "unknown field",
      };
    default:
      return { path: joinPath(base, ...segments), message: describe(error, params) };
  }
}

function describe(error: ErrorObject, params: Record<string, unknown>): string {
  switch (error.keyword) {
    case "type":
      return `must be ${withArticle(String(params.type))}`;
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((value) => JSON.stringify(value));
      return allowed.length === 1 ? `must be ${allowed[0]}` : `must be one of ${allowed.join(", ")}`;
    }
    case "minLength":
      return params.limit === 1 ? "must not be empty" : `must be at least ${params.limit} characters`;
    case "minItems":
      return `must have at least ${params.limit} item${params.limit === 1 ? "" : "s"}`;
    case "minimum":
      return `must be at least ${params.limit}`;
    case "maximum":
      return `must be at most ${params.limit}`;
    case "maxLength":
      return `must be at most ${params.limit} characters`;
    case "maxItems":
      return `must have at most ${params.limit} items`;
    case "pattern":
      return `must match ${params.pattern}`;
    case "anyOf":
      return error.parentSchema?.["x-kubernetes-int-or-string"]
        ? "must be an integer or a string"
        : "matches none of the allowed shapes";
    case "format":
      return params.format === "date-time"
        ? "must be an RFC 3339 date-time, e.g. 2024-01-31T12:00:00Z"
        : `must be a ${params.format}`;
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

function withArticle(type: string): string {
  const words: Record<string, string> = { integer: "an integer", object: "an object", array: "a list" };
  return words[type] ?? `a ${type}`;
}
