import type { JsonSchema } from "./kube-schema.js";

// A checker for the structural-schema rules apiextensions.k8s.io/v1 enforces
// (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema),
// so a CRD that a real API server would reject fails a unit test first.

const ALLOWED_KEYS = new Set([
  "type",
  "format",
  "description",
  "title",
  "default",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "multipleOf",
  "enum",
  "maxProperties",
  "minProperties",
  "required",
  "items",
  "allOf",
  "oneOf",
  "anyOf",
  "not",
  "properties",
  "additionalProperties",
  "nullable",
  "example",
  "externalDocs",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-embedded-resource",
  "x-kubernetes-int-or-string",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-list-type",
  "x-kubernetes-map-type",
  "x-kubernetes-validations",
]);
const TYPES = new Set(["object", "array", "string", "integer", "number", "boolean"]);
/** What value validations (anyOf, allOf, oneOf, not) may not say: that is the structure's job. */
const STRUCTURE_ONLY = ["type", "default", "additionalProperties", "nullable", "description", "title"];
const LOGIC = ["anyOf", "allOf", "oneOf"] as const;

/** Every violation, each as "<path>: <problem>"; empty when the schema is structural. */
export function checkStructural(root: JsonSchema, path = "openAPIV3Schema"): string[] {
  const problems: string[] = [];
  if (root.type !== "object") problems.push(`${path}: the root must have type object`);
  const metadata = (root.properties as Record<string, JsonSchema> | undefined)?.metadata;
  if (metadata && (Object.keys(metadata).length !== 1 || metadata.type !== "object")) {
    problems.push(`${path}.properties.metadata: must be exactly {type: object} (the server owns metadata)`);
  }
  checkNode(root, path, problems);
  return problems;
}

function checkNode(node: JsonSchema, path: string, problems: string[]): void {
  for (const key of Object.keys(node)) {
    if (!ALLOWED_KEYS.has(key)) problems.push(`${path}: ${key} is not allowed in a CRD schema`);
  }
  const intOrString = node["x-kubernetes-int-or-string"] === true;
  const preserve = node["x-kubernetes-preserve-unknown-fields"] === true;
  if (intOrString) checkIntOrString(node, path, problems);
  else if (typeof node.type !== "string" || !TYPES.has(node.type)) {
    if (!preserve) problems.push(`${path}: type is required (one of ${[...TYPES].join(", ")})`);
  }
  if (node.uniqueItems === true) problems.push(`${path}: uniqueItems: true is not allowed`);
  if (node.properties !== undefined && node.additionalProperties !== undefined) {
    problems.push(`${path}: properties and additionalProperties are mutually exclusive`);
  }
  if (node.additionalProperties === false)
    problems.push(`${path}: additionalProperties: false is not allowed`);
  checkEnum(node, path, problems);
  for (const [name, child] of Object.entries((node.properties as Record<string, JsonSchema>) ?? {})) {
    checkNode(child, `${path}.properties.${name}`, problems);
  }
  if (Array.isArray(node.items)) problems.push(`${path}.items: must be one schema, not a list`);
  else if (isSchema(node.items)) checkNode(node.items, `${path}.items`, problems);
  if (node.type === "array" && node.items === undefined) problems.push(`${path}: an array needs items`);
  if (isSchema(node.additionalProperties))
    checkNode(node.additionalProperties, `${path}.additionalProperties`, problems);
  if (!intOrString) checkValueValidations(node, path, problems);
}

function checkIntOrString(node: JsonSchema, path: string, problems: string[]): void {
  if (node.type !== undefined) problems.push(`${path}: x-kubernetes-int-or-string must not have a type`);
  const anyOf = node.anyOf;
  const expected = JSON.stringify([{ type: "integer" }, { type: "string" }]);
  if (anyOf !== undefined && JSON.stringify(anyOf) !== expected) {
    problems.push(`${path}: x-kubernetes-int-or-string allows only anyOf [{type: integer}, {type: string}]`);
  }
}

function checkValueValidations(node: JsonSchema, path: string, problems: string[]): void {
  for (const logic of LOGIC) {
    const branches = node[logic];
    if (branches === undefined) continue;
    if (!Array.isArray(branches)) {
      problems.push(`${path}.${logic}: must be a list`);
      continue;
    }
    for (const [index, branch] of branches.entries()) {
      checkValidationOnly(branch as JsonSchema, `${path}.${logic}[${index}]`, problems);
    }
  }
  if (isSchema(node.not)) checkValidationOnly(node.not, `${path}.not`, problems);
}

/** Inside value validations: no structure (type, default, ...) and no x-kubernetes-* extensions. */
function checkValidationOnly(node: JsonSchema, path: string, problems: string[]): void {
  for (const key of Object.keys(node)) {
    if (STRUCTURE_ONLY.includes(key) || key.startsWith("x-kubernetes-")) {
      problems.push(`${path}: ${key} is not allowed inside a value validation`);
    }
  }
  for (const [name, child] of Object.entries((node.properties as Record<string, JsonSchema>) ?? {})) {
    checkValidationOnly(child, `${path}.properties.${name}`, problems);
  }
  if (isSchema(node.items)) checkValidationOnly(node.items, `${path}.items`, problems);
}

function checkEnum(node: JsonSchema, path: string, problems: string[]): void {
  if (node.enum === undefined) return;
  if (!Array.isArray(node.enum) || node.enum.length === 0) {
    problems.push(`${path}: enum must be a non-empty list`);
    return;
  }
  const jsType = node.type === "integer" ? "number" : node.type;
  if (typeof jsType === "string" && node.enum.some((value) => typeof value !== jsType)) {
    problems.push(`${path}: enum values must be of type ${node.type}`);
  }
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
