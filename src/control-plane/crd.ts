/**
 * CustomResourceDefinition admission: defaulting, validation (names,
 * versions, structural schema, the api-approved rule for protected groups),
 * status conditions, and the ResourceType it serves.
 */
import type { StatusCause } from "./api-error.js";
import type { PrinterColumn, ResourceType } from "./resource-type.js";
import { patternSyntaxError } from "./schema/pattern.js";
import type { JsonSchema } from "./schema/types.js";
import type { KubeObject } from "./store.js";

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: JsonSchema };
  subresources?: {
    status?: object;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: PrinterColumn[];
}

interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

interface CrdSpec {
  group: string;
  names: CrdNames;
  scope: string;
  versions: CrdVersion[];
  conversion?: { strategy: string };
  preserveUnknownFields?: boolean;
}

export const approvalAnnotation = "api-approved.kubernetes.io";

function specOf(crd: KubeObject): CrdSpec {
  return (crd.spec ?? {}) as CrdSpec;
}

/** Fills the defaults the apiserver fills on a CRD. */
export function defaultCrd(crd: KubeObject): void {
  const spec = specOf(crd);
  if (!spec.names) return;
  spec.names.singular ??= spec.names.kind?.toLowerCase();
  spec.names.listKind ??= `${spec.names.kind}List`;
  spec.conversion ??= { strategy: "None" };
  for (const version of spec.versions ?? []) {
    for (const column of version.additionalPrinterColumns ?? []) column.priority ??= 0;
  }
}

function isProtectedGroup(group: string): boolean {
  return (
    group === "k8s.io" ||
    group.endsWith(".k8s.io") ||
    group === "kubernetes.io" ||
    group.endsWith(".kubernetes.io")
  );
}

export function validateCrd(crd: KubeObject): StatusCause[] {
  const spec = specOf(crd);
  const causes: StatusCause[] = [];
  const required = (field: string) =>
    causes.push({ reason: "FieldValueRequired", field, message: "Required value" });
  if (!spec.group) required("spec.group");
  if (!spec.names?.plural) required("spec.names.plural");
  if (!spec.names?.kind) required("spec.names.kind");
  if (spec.scope !== "Namespaced" && spec.scope !== "Cluster") {
    causes.push({
      reason: "FieldValueNotSupported",
      field: "spec.scope",
      message: `Unsupported value: "${spec.scope}": supported values: "Cluster", "Namespaced"`,
    });
  }
  if (spec.group && spec.names?.plural && crd.metadata.name !== `${spec.names.plural}.${spec.group}`) {
    causes.push({
      field: "metadata.name",
      message: `Invalid value: "${crd.metadata.name}": must be spec.names.plural+"."+spec.group`,
    });
  }
  if (spec.group && !spec.group.includes(".")) {
    causes.push({
      field: "spec.group",
      message: `Invalid value: "${spec.group}": should be a domain with at least one dot`,
    });
  }
  const versions = spec.versions ?? [];
  if (versions.length === 0) required("spec.versions");
  if (versions.filter((v) => v.storage).length !== 1) {
    causes.push({
      field: "spec.versions",
      message: "Invalid value: must have exactly one version marked as storage version",
    });
  }
  versions.forEach((version, index) => {
    const schema = version.schema?.openAPIV3Schema;
    if (!schema) required(`spec.versions[${index}].schema.openAPIV3Schema`);
    else {
      const path = `spec.versions[${index}].schema.openAPIV3Schema`;
      const shape = shapeProblems(schema, path);
      causes.push(
        ...(shape.length > 0
          ? shape
          : [...structuralProblems(schema, path), ...patternProblems(schema, path)]),
      );
    }
  });
  if (spec.group && isProtectedGroup(spec.group) && !crd.metadata.annotations?.[approvalAnnotation]) {
    causes.push({
      reason: "FieldValueRequired",
      field: `metadata.annotations[${approvalAnnotation}]`,
      message: `Required value: protected groups must have approval annotation "${approvalAnnotation}", see https://github.com/kubernetes/enhancements/pull/1111`,
    });
  }
  return causes;
}

/** The structural rule: every object/array level specifies a type (unless preserving unknown fields). */
function structuralProblems(schema: JsonSchema, path: string, root = true): StatusCause[] {
  const causes: StatusCause[] = [];
  if (
    !schema.type &&
    !schema["x-kubernetes-int-or-string"] &&
    !schema["x-kubernetes-preserve-unknown-fields"] &&
    !root
  ) {
    causes.push({
      reason: "FieldValueRequired",
      field: `${path}.type`,
      message: "Required value: must not be empty for specified object fields",
    });
  }
  if (root && schema.type !== "object") {
    causes.push({
      field: `${path}.type`,
      message: `Invalid value: "${schema.type ?? ""}": must be object at the root`,
    });
  }
  if (schema.type === "array" && !schema.items) {
    causes.push({
      reason: "FieldValueRequired",
      field: `${path}.items`,
      message: "Required value: must be specified",
    });
  }
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    causes.push(...structuralProblems(child, `${path}.properties[${name}]`, false));
  }
  if (schema.items) causes.push(...structuralProblems(schema.items, `${path}.items`, false));
  if (typeof schema.additionalProperties === "object") {
    causes.push(...structuralProblems(schema.additionalProperties, `${path}.additionalProperties`, false));
  }
  return causes;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const keywordTypes: Record<string, "string" | "number" | "boolean" | "array"> = {
  type: "string",
  format: "string",
  pattern: "string",
  description: "string",
  title: "string",
  minimum: "number",
  maximum: "number",
  multipleOf: "number",
  minLength: "number",
  maxLength: "number",
  minItems: "number",
  maxItems: "number",
  minProperties: "number",
  maxProperties: "number",
  exclusiveMinimum: "boolean",
  exclusiveMaximum: "boolean",
  nullable: "boolean",
  uniqueItems: "boolean",
  required: "array",
  enum: "array",
  "x-kubernetes-preserve-unknown-fields": "boolean",
  "x-kubernetes-int-or-string": "boolean",
  "x-kubernetes-embedded-resource": "boolean",
  "x-kubernetes-list-type": "string",
  "x-kubernetes-map-type": "string",
};

/**
 * The openAPIV3Schema is recursive, so its shape is checked here rather than
 * by a schema: every node an object, `properties` a map of objects, keywords
 * of the right JSON type. The other checks assume this shape.
 */
function shapeProblems(schema: unknown, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const wrong = (field: string, expected: string) =>
    causes.push({ reason: "FieldValueTypeInvalid", field, message: `Invalid value: must be ${expected}` });
  const stack: [unknown, string][] = [[schema, path]];
  while (stack.length > 0 && causes.length < 100) {
    const [node, at] = stack.pop() as [unknown, string];
    if (!isObject(node)) {
      wrong(at, "an object (a JSON schema)");
      continue;
    }
    for (const [keyword, expected] of Object.entries(keywordTypes)) {
      const value = node[keyword];
      if (value === undefined) continue;
      const actual = Array.isArray(value) ? "array" : typeof value;
      if (actual !== expected) wrong(`${at}.${keyword}`, `of type ${expected}`);
    }
    if (Array.isArray(node.required) && node.required.some((name) => typeof name !== "string"))
      wrong(`${at}.required`, "a list of strings");
    if (node.properties !== undefined) {
      if (!isObject(node.properties)) wrong(`${at}.properties`, "a map of schemas");
      else
        for (const [name, child] of Object.entries(node.properties))
          stack.push([child, `${at}.properties[${name}]`]);
    }
    if (node.items !== undefined) stack.push([node.items, `${at}.items`]);
    if (node.not !== undefined) stack.push([node.not, `${at}.not`]);
    if (node.additionalProperties !== undefined && typeof node.additionalProperties !== "boolean")
      stack.push([node.additionalProperties, `${at}.additionalProperties`]);
    for (const keyword of ["allOf", "anyOf", "oneOf"]) {
      const list = node[keyword];
      if (list === undefined) continue;
      if (!Array.isArray(list)) wrong(`${at}.${keyword}`, "a list of schemas");
      else {
        for (const [index, child] of list.entries()) stack.push([child, `${at}.${keyword}[${index}]`]);
      }
    }
  }
  return causes;
}

/** Every sub-schema of `schema` with its apiserver field path. */
function* subSchemas(schema: JsonSchema, path: string): Generator<[JsonSchema, string]> {
  yield [schema, path];
  if (!schema || typeof schema !== "object") return;
  for (const [name, child] of Object.entries(schema.properties ?? {}))
    yield* subSchemas(child, `${path}.properties[${name}]`);
  if (schema.items && typeof schema.items === "object") yield* subSchemas(schema.items, `${path}.items`);
  if (schema.additionalProperties && typeof schema.additionalProperties === "object")
    yield* subSchemas(schema.additionalProperties, `${path}.additionalProperties`);
  for (const keyword of ["allOf", "anyOf", "oneOf"] as const) {
    const list = schema[keyword];
    if (Array.isArray(list)) {
      for (const [index, child] of list.entries()) yield* subSchemas(child, `${path}.${keyword}[${index}]`);
    }
  }
  if (schema.not && typeof schema.not === "object") yield* subSchemas(schema.not, `${path}.not`);
}

/**
 * Patterns must be RE2 syntax (Go's regexp, what the apiserver compiles):
 * no lookaround, no backreferences, repeat counts up to 1000.
 */
function patternProblems(schema: JsonSchema, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [node, nodePath] of subSchemas(schema, path)) {
    if (!node || typeof node !== "object" || node.pattern === undefined) continue;
    if (typeof node.pattern !== "string") {
      causes.push({
        reason: "FieldValueTypeInvalid",
        field: `${nodePath}.pattern`,
        message: "Invalid value: must be a string",
      });
      continue;
    }
    const problem = patternSyntaxError(node.pattern);
    if (problem) {
      causes.push({
        field: `${nodePath}.pattern`,
        message: `Invalid value: ${JSON.stringify(node.pattern)}: must be a valid regular expression, but isn't: ${problem}`,
      });
    }
  }
  return causes;
}

/** Names another CRD in the same group already uses, or "" when these are free. */
export function namesConflict(crd: KubeObject, others: KubeObject[]): string {
  const spec = specOf(crd);
  for (const other of others) {
    if (other.metadata.name === crd.metadata.name) continue;
    const otherSpec = specOf(other);
    if (otherSpec.group !== spec.group) continue;
    const taken = new Set([
      otherSpec.names.plural,
      otherSpec.names.singular,
      ...(otherSpec.names.shortNames ?? []),
    ]);
    if (taken.has(spec.names.plural)) return `"${spec.names.plural}" is already in use`;
    if (otherSpec.names.kind === spec.names.kind) return `"${spec.names.kind}" is already in use`;
  }
  return "";
}

function condition(
  type: string,
  status: string,
  reason: string,
  message: string,
  previous: unknown[],
): object {
  const old = previous.find((c) => (c as { type?: string }).type === type) as
    | Record<string, unknown>
    | undefined;
  const lastTransitionTime =
    old && old.status === status && typeof old.lastTransitionTime === "string"
      ? old.lastTransitionTime
      : new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return { type, status, lastTransitionTime, reason, message };
}

/** Sets NamesAccepted/Established (and the approval condition) and acceptedNames. */
export function setCrdStatus(crd: KubeObject, conflictMessage: string): void {
  const spec = specOf(crd);
  const status = (crd.status ?? {}) as Record<string, unknown>;
  const previous = Array.isArray(status.conditions) ? status.conditions : [];
  const accepted = conflictMessage === "";
  const conditions = [
    accepted
      ? condition("NamesAccepted", "True", "NoConflicts", "no conflicts found", previous)
      : condition("NamesAccepted", "False", "NameConflict", conflictMessage, previous),
    accepted
      ? condition(
          "Established",
          "True",
          "InitialNamesAccepted",
          "the initial names have been accepted",
          previous,
        )
      : condition("Established", "False", "NotAccepted", "not all names are accepted", previous),
  ];
  if (isProtectedGroup(spec.group)) {
    const value = crd.metadata.annotations?.[approvalAnnotation] ?? "";
    conditions.push(
      value.startsWith("unapproved")
        ? condition(
            "KubernetesAPIApprovalPolicyConformant",
            "False",
            "ApprovalBypassed",
            `protected groups must have approval annotation "${approvalAnnotation}", see https://github.com/kubernetes/enhancements/pull/1111`,
            previous,
          )
        : condition(
            "KubernetesAPIApprovalPolicyConformant",
            "True",
            "ApprovedAnnotation",
            `approved in ${value}`,
            previous,
          ),
    );
  }
  crd.status = {
    ...status,
    conditions,
    acceptedNames: accepted ? { ...spec.names } : (status.acceptedNames ?? { plural: "", kind: "" }),
    storedVersions: [
      ...new Set([
        ...((status.storedVersions as string[]) ?? []),
        ...spec.versions.filter((v) => v.storage).map((v) => v.name),
      ]),
    ],
  };
}

export function isEstablished(crd: KubeObject): boolean {
  const conditions = ((crd.status as Record<string, unknown> | undefined)?.conditions ?? []) as {
    type: string;
    status: string;
  }[];
  return conditions.some((c) => c.type === "Established" && c.status === "True");
}

export function resourceTypeFromCrd(crd: KubeObject): ResourceType {
  const spec = specOf(crd);
  const served = spec.versions.filter((v) => v.served !== false);
  const storage = spec.versions.find((v) => v.storage) ?? spec.versions[0];
  const subresources = storage?.subresources ?? {};
  return {
    group: spec.group,
    version: storage?.name ?? "v1",
    servedVersions: served.map((v) => v.name),
    plural: spec.names.plural,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    kind: spec.names.kind,
    listKind: spec.names.listKind ?? `${spec.names.kind}List`,
    namespaced: spec.scope === "Namespaced",
    shortNames: spec.names.shortNames ?? [],
    categories: spec.names.categories ?? [],
    schemas: new Map(served.map((v) => [v.name, v.schema?.openAPIV3Schema])),
    printerColumns: new Map(
      served.map((v) => [
        v.name,
        v.additionalPrinterColumns && v.additionalPrinterColumns.length > 0
          ? v.additionalPrinterColumns
          : [{ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" }],
      ]),
    ),
    statusSubresource: subresources.status !== undefined,
    scale: subresources.scale,
    builtIn: false,
    crdName: crd.metadata.name,
  };
}
