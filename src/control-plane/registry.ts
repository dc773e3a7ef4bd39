/** The set of served resource types, looked up by group, version and plural. */
import { builtInTypes } from "./builtin-types.js";
import type { ResourceType } from "./resource-type.js";

export class Registry {
  private types: ResourceType[] = builtInTypes();

  all(): ResourceType[] {
    return this.types;
  }

  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find(
      (t) => t.group === group && t.plural === plural && t.servedVersions.includes(version),
    );
  }

  byKind(group: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.kind === kind);
  }

  byCrd(crdName: string): ResourceType | undefined {
    return this.types.find((t) => t.crdName === crdName);
  }

  /** Adds or replaces the type served for a CRD. */
  registerCrd(type: ResourceType): void {
    this.types = [...this.types.filter((t) => t.crdName !== type.crdName), type];
  }

  unregisterCrd(crdName: string): void {
    this.types = this.types.filter((t) => t.crdName !== crdName);
  }

  /** Groups in discovery order (legacy core excluded), each with its versions, preferred first. */
  groups(): { name: string; versions: string[] }[] {
    const groups = new Map<string, Set<string>>();
    for (const type of this.types) {
      if (!type.group) continue;
      const versions = groups.get(type.group) ?? new Set<string>();
      for (const version of type.servedVersions) versions.add(version);
      groups.set(type.group, versions);
    }
    return [...groups].map(([name, versions]) => ({ name, versions: sortVersions([...versions]) }));
  }
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function sortVersions(versions: string[]): string[] {
  const rank = (v: string): [number, number, number] => {
    const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!match) return [0, 0, 0];
    const stability = match[2] === undefined ? 3 : match[2] === "beta" ? 2 : 1;
    return [stability, Number(match[1]), Number(match[3] ?? 0)];
  };
  return [...versions].sort((a, b) => {
    const [sa, ma, na] = rank(a);
    const [sb, mb, nb] = rank(b);
    return sb - sa || mb - ma || nb - na || a.localeCompare(b);
  });
}
