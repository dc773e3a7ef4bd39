/** Parsing of resource URLs: /api/v1/... and /apis/<group>/<version>/... */
export interface ResourceRoute {
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
}

export type Route =
  | { kind: "version" }
  | { kind: "core-versions" }
  | { kind: "groups" }
  | { kind: "group"; group: string }
  | { kind: "resources"; group: string; version: string }
  | { kind: "openapi-root" }
  | { kind: "openapi-v2" }
  | { kind: "openapi"; group: string; version: string }
  | { kind: "health" }
  | ({ kind: "resource" } & ResourceRoute)
  | { kind: "unknown" };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const [first, second, third, fourth] = parts;
  if (first === "version" && parts.length === 1) return { kind: "version" };
  if (["healthz", "livez", "readyz"].includes(first ?? "")) return { kind: "health" };
  if (first === "openapi" && second === "v2" && parts.length === 2) return { kind: "openapi-v2" };
  if (first === "openapi" && second === "v3") {
    if (parts.length === 2) return { kind: "openapi-root" };
    if (third === "api" && fourth) return { kind: "openapi", group: "", version: fourth };
    if (third === "apis" && fourth && parts[4]) return { kind: "openapi", group: fourth, version: parts[4] };
    return { kind: "unknown" };
  }
  if (first === "api") {
    if (!second) return { kind: "core-versions" };
    if (parts.length === 2) return { kind: "resources", group: "", version: second };
    return resourceRoute("", second, parts.slice(2));
  }
  if (first === "apis") {
    if (!second) return { kind: "groups" };
    if (!third) return { kind: "group", group: second };
    if (parts.length === 3) return { kind: "resources", group: second, version: third };
    return resourceRoute(second, third, parts.slice(3));
  }
  return { kind: "unknown" };
}

function resourceRoute(group: string, version: string, rest: string[]): Route {
  const isNamespaceItself =
    group === "" &&
    rest[0] === "namespaces" &&
    (rest.length <= 2 || ["status", "finalize"].includes(rest[2] ?? ""));
  if (rest[0] === "namespaces" && rest.length >= 3 && !isNamespaceItself) {
    const [, namespace, plural, name, subresource] = rest;
    if (rest.length > 5 || !plural) return { kind: "unknown" };
    return { kind: "resource", group, version, namespace, plural, name, subresource };
  }
  const [plural, name, subresource] = rest;
  if (rest.length > 3 || !plural) return { kind: "unknown" };
  return { kind: "resource", group, version, plural, name, subresource };
}
