import { isRecord } from "./field-error.js";
import { joinPath, type PathError } from "./field-path.js";
import { MAX_LABEL_LENGTH, MAX_SUBDOMAIN_LENGTH } from "./limits.js";

// Kubernetes' own syntax for label and annotation keys and label values
// (apimachinery's IsQualifiedName and IsValidLabelValue), so a manifest the
// API server would refuse is refused here first, with the same rules.

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kubernetes' limit on all annotations of one object together. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** `prefix/name` or `name`: the prefix a DNS subdomain, the name at most 63 characters. */
export function checkQualifiedName(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined) {
    if (prefix === "") return "has an empty prefix before '/'";
    if (prefix.length > MAX_SUBDOMAIN_LENGTH || !DNS_SUBDOMAIN.test(prefix)) {
      return "has a prefix that is not a DNS subdomain (lowercase letters, digits, '-', '.')";
    }
  }
  if (name === "") return "must have a name (after any prefix and '/')";
  if (name.length > MAX_LABEL_LENGTH) return `has a name part longer than ${MAX_LABEL_LENGTH} characters`;
  if (!NAME_PART.test(name)) {
    return "must be a qualified name: letters, digits, '-', '_' and '.', starting and ending with a letter or digit, with an optional DNS-subdomain prefix and '/'";
  }
  return undefined;
}

export function checkLabelValue(value: string): string | undefined {
  if (value.length > MAX_LABEL_LENGTH) return `must be at most ${MAX_LABEL_LENGTH} characters`;
  if (value !== "" && !NAME_PART.test(value)) {
    return "must be empty or letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/** Problems with a labels map at `base` (keys then values); ignores what is not a map of strings. */
export function checkLabels(labels: unknown, base: string): PathError[] {
  if (!isRecord(labels)) return [];
  const problems: PathError[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = checkQualifiedName(key);
    if (keyProblem) problems.push({ path: joinPath(base, key), message: `key ${keyProblem}` });
    else if (typeof value === "string") {
      const valueProblem = checkLabelValue(value);
      if (valueProblem) problems.push({ path: joinPath(base, key), message: `value ${valueProblem}` });
    }
  }
  return problems;
}

/** Problems with an annotations map at `base`: qualified keys, 256 KiB in all. */
export function checkAnnotations(annotations: unknown, base: string): PathError[] {
  if (!isRecord(annotations)) return [];
  const problems: PathError[] = [];
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    const keyProblem = checkQualifiedName(key);
    if (keyProblem) problems.push({ path: joinPath(base, key), message: `key ${keyProblem}` });
    bytes += Buffer.byteLength(key) + (typeof value === "string" ? Buffer.byteLength(value) : 0);
  }
  if (bytes > MAX_ANNOTATIONS_BYTES) {
    problems.push({
      path: base,
      message: `must be at most ${MAX_ANNOTATIONS_BYTES} bytes in all (${bytes})`,
    });
  }
  return problems;
}
