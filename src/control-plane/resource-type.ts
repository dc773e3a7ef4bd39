/**
 * What the server knows about one served resource (built-in or from a CRD):
 * names for discovery, scope, schema and subresources.
 */
import type { JsonSchema } from "./schema/types.js";

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceType {
  group: string;
  /** The version objects are stored at (CRDs: the storage version). */
  version: string;
  /** Every version served; all convert trivially (conversion strategy None). */
  servedVersions: string[];
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Per served version: the structural schema (CRDs) or undefined (built-ins). */
  schemas: Map<string, JsonSchema | undefined>;
  printerColumns: Map<string, PrinterColumn[]>;
  statusSubresource: boolean;
  scale?: ScaleSubresource;
  /** Built-in kinds accept strategic merge patch; custom resources answer 415. */
  builtIn: boolean;
  /** The CRD this type comes from (name), for deleting its objects with it. */
  crdName?: string;
}

export function apiVersionOf(type: ResourceType, version = type.version): string {
  return type.group ? `${type.group}/${version}` : version;
}

/** Storage key prefix for a resource: `group/plural` ("core" for the legacy group). */
export function resourceKey(type: Pick<ResourceType, "group" | "plural">): string {
  return `${type.group || "core"}/${type.plural}`;
}

export const readWriteVerbs = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
] as const;
