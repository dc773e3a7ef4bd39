import { joinPath, type PathError } from "./field-path.js";
import type { LabelSelector } from "./meta.js";

type Requirement = NonNullable<LabelSelector["matchExpressions"]>[number];
const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"];

/** Problems with the selector itself (operators, values, emptiness), at paths under `base`. */
export function checkSelector(selector: LabelSelector, base: string): PathError[] {
  const problems: PathError[] = [];
  if (isEmptySelector(selector)) {
    problems.push({ path: base, message: "empty selector would match every Machine: set matchLabels" });
  }
  for (const [index, requirement] of (selector.matchExpressions ?? []).entries()) {
    const path = joinPath(base, "matchExpressions", index);
    const values = requirement.values ?? [];
    if (!OPERATORS.includes(requirement.operator)) {
      problems.push({
        path: joinPath(path, "operator"),
        message: `"${requirement.operator}" is not an operator: use ${OPERATORS.join(", ")}`,
      });
    } else if ((requirement.operator === "In" || requirement.operator === "NotIn") && values.length === 0) {
      problems.push({
        path: joinPath(path, "values"),
        message: `required for operator ${requirement.operator}`,
      });
    } else if (
      (requirement.operator === "Exists" || requirement.operator === "DoesNotExist") &&
      values.length
    ) {
      problems.push({
        path: joinPath(path, "values"),
        message: `must be empty for operator ${requirement.operator}`,
      });
    }
  }
  return problems;
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0
  );
}

export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  return explainMismatch(selector, labels) === undefined;
}

/** Why `labels` fail `selector` ("missing set=node"), or undefined when they match. */
export function explainMismatch(selector: LabelSelector, labels: Record<string, string>): string | undefined {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] === undefined) return `missing ${key}=${value}`;
    if (labels[key] !== value) return `${key}=${labels[key]} where the selector wants ${key}=${value}`;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    if (!requirementMatches(requirement, labels)) return `fails ${formatRequirement(requirement)}`;
  }
  return undefined;
}

function requirementMatches(requirement: Requirement, labels: Record<string, string>): boolean {
  const value = labels[requirement.key];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    default:
      return false;
  }
}

/** The selector in kubectl's string form, for status.selector (the scale subresource). */
export function selectorToString(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`);
  for (const requirement of selector.matchExpressions ?? []) parts.push(formatRequirement(requirement));
  return parts.join(",");
}

function formatRequirement(requirement: Requirement): string {
  const values = `(${[...(requirement.values ?? [])].sort().join(",")})`;
  switch (requirement.operator) {
    case "In":
      return `${requirement.key} in ${values}`;
    case "NotIn":
      return `${requirement.key} notin ${values}`;
    case "Exists":
      return requirement.key;
    case "DoesNotExist":
      return `!${requirement.key}`;
    default:
      return `${requirement.key} ${requirement.operator} ${values}`;
  }
}
