/**
 * The shape of a CustomResourceDefinition body, so a malformed CRD (a number
 * where names go, versions that are not a list) is a 422 with its field path
 * before any CRD logic reads it. Fields not listed are kept (preserve unknown
 * fields), so nothing valid the apiserver accepts is pruned; the recursive
 * openAPIV3Schema is checked node by node in crd.ts.
 */
import type { JsonSchema } from "./schema/types.js";

const keep = { "x-kubernetes-preserve-unknown-fields": true } as const;
const string: JsonSchema = { type: "string" };
const strings: JsonSchema = { type: "array", items: string };

const names: JsonSchema = {
  type: "object",
  ...keep,
  properties: {
    plural: string,
    singular: string,
    kind: string,
    listKind: string,
    shortNames: strings,
    categories: strings,
  },
};

const printerColumn: JsonSchema = {
  type: "object",
  ...keep,
  required: ["name", "type", "jsonPath"],
  properties: {
    name: string,
    type: string,
    format: string,
    description: string,
    priority: { type: "integer" },
    jsonPath: string,
  },
};

const version: JsonSchema = {
  type: "object",
  ...keep,
  required: ["name"],
  properties: {
    name: string,
    served: { type: "boolean" },
    storage: { type: "boolean" },
    deprecated: { type: "boolean" },
    deprecationWarning: string,
    schema: {
      type: "object",
      ...keep,
      properties: { openAPIV3Schema: { type: "object", ...keep } },
    },
    subresources: {
      type: "object",
      ...keep,
      properties: {
        status: { type: "object", ...keep },
        scale: {
          type: "object",
          ...keep,
          required: ["specReplicasPath", "statusReplicasPath"],
          properties: { specReplicasPath: string, statusReplicasPath: string, labelSelectorPath: string },
        },
      },
    },
    additionalPrinterColumns: { type: "array", items: printerColumn },
  },
};

export const crdSchema: JsonSchema = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      ...keep,
      required: ["group", "names", "scope", "versions"],
      properties: {
        group: string,
        names,
        scope: string,
        versions: { type: "array", items: version },
        conversion: { type: "object", ...keep, properties: { strategy: string } },
        preserveUnknownFields: { type: "boolean" },
      },
    },
    status: { type: "object", ...keep },
  },
};
