// Field paths the way Kubernetes prints them: dotted names, [n] for list
// indexes and [key] for map keys that are not plain identifiers
// (metadata.labels[cluster.k8s.io/cluster-name]).

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function joinPath(base: string, ...segments: (string | number)[]): string {
  let path = base;
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else if (PLAIN_NAME.test(segment)) path += path === "" ? segment : `.${segment}`;
    else path += `[${segment}]`;
  }
  return path;
}

/** Converts an ajv instancePath (a JSON pointer) into segments. */
export function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}

/** A problem at a path relative to some object, before it is tied to that object. */
export interface PathError {
  path: string;
  message: string;
}
