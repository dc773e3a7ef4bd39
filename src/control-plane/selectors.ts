/** Label and field selectors as list and watch take them. */
import { badRequest } from "./api-error.js";
import type { KubeObject } from "./store.js";

export type Matcher = (object: KubeObject) => boolean;

interface Requirement {
  key: string;
  op: "=" | "!=" | "in" | "notin" | "exists" | "!";
  values: string[];
}

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of selector) {
    if (char === "(") depth += 1;
    if (char === ")") depth -= 1;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  if (current.trim()) parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function parseRequirement(term: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
  if (set)
    return {
      key: set[1] as string,
      op: set[2] as "in" | "notin",
      values: (set[3] as string).split(",").map((v) => v.trim()),
    };
  const compare = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
  if (compare) {
    return {
      key: compare[1] as string,
      op: compare[2] === "!=" ? "!=" : "=",
      values: [(compare[3] as string).trim()],
    };
  }
  if (term.startsWith("!")) return { key: term.slice(1).trim(), op: "!", values: [] };
  if (/^[A-Za-z0-9][-A-Za-z0-9_./]*$/.test(term)) return { key: term, op: "exists", values: [] };
  throw badRequest(`unable to parse requirement: "${term}"`);
}

function matches(value: string | undefined, requirement: Requirement): boolean {
  switch (requirement.op) {
    case "=":
      return value === requirement.values[0];
    case "!=":
      return value !== requirement.values[0];
    case "in":
      return value !== undefined && requirement.values.includes(value);
    case "notin":
      return value === undefined || !requirement.values.includes(value);
    case "exists":
      return value !== undefined;
    case "!":
      return value === undefined;
  }
}

export function labelMatcher(selector: string | null): Matcher {
  if (!selector) return () => true;
  const requirements = splitTopLevel(selector).map(parseRequirement);
  return (object) => requirements.every((r) => matches(object.metadata.labels?.[r.key], r));
}

function fieldValue(object: KubeObject, path: string): string | undefined {
  let current: unknown = object;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return path === "metadata.namespace" ? "" : undefined;
  return String(current);
}

/** Field selectors: `=`, `==`, `!=` on any dotted path (metadata.name, involvedObject.uid, ...). */
export function fieldMatcher(selector: string | null): Matcher {
  if (!selector) return () => true;
  const requirements = splitTopLevel(selector).map((term) => {
    const requirement = parseRequirement(term);
    if (requirement.op !== "=" && requirement.op !== "!=")
      throw badRequest(`invalid field selector: "${term}"`);
    return requirement;
  });
  return (object) =>
    requirements.every((r) => {
      const value = fieldValue(object, r.key) ?? "";
      return r.op === "=" ? value === r.values[0] : value !== r.values[0];
    });
}
