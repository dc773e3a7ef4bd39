/** Legacy (unaggregated) discovery documents, served as plain application/json. */
import type { Registry } from "./registry.js";
import { type ResourceType, readWriteVerbs } from "./resource-type.js";

export function versionInfo(): Record<string, string> {
  return {
    major: "1",
    minor: "32",
    gitVersion: "v1.32.0+clusterform",
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2025-01-01T00:00:00Z",
    goVersion: "go1.23.4",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

export function coreVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupDocument(name: string, versions: string[]): Record<string, unknown> {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

export function groupList(registry: Registry): Record<string, unknown> {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: registry.groups().map((g) => groupDocument(g.name, g.versions)),
  };
}

export function group(registry: Registry, name: string): Record<string, unknown> | undefined {
  const found = registry.groups().find((g) => g.name === name);
  return found
    ? { kind: "APIGroup", apiVersion: "v1", ...groupDocument(found.name, found.versions) }
    : undefined;
}

function resourceEntries(type: ResourceType): Record<string, unknown>[] {
  const main = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: [...readWriteVerbs],
    ...(type.shortNames.length > 0 ? { shortNames: type.shortNames } : {}),
    ...(type.categories.length > 0 ? { categories: type.categories } : {}),
  };
  const entries: Record<string, unknown>[] = [main];
  const subresourceVerbs = ["get", "patch", "update"];
  if (type.statusSubresource) {
    entries.push({
      name: `${type.plural}/status`,
      singularName: "",
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: subresourceVerbs,
    });
  }
  if (type.scale) {
    entries.push({
      name: `${type.plural}/scale`,
      singularName: "",
      namespaced: type.namespaced,
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
      verbs: subresourceVerbs,
    });
  }
  return entries;
}

/** APIResourceList for one group-version, or undefined when nothing is served there. */
export function resourceList(
  registry: Registry,
  groupName: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.all().filter((t) => t.group === groupName && t.servedVersions.includes(version));
  if (types.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: groupName ? `${groupName}/${version}` : version,
    resources: types.flatMap(resourceEntries),
  };
}
