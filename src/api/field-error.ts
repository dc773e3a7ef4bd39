import type { PathError } from "./field-path.js";
import { sourceOf } from "./source.js";

export const DEFAULT_NAMESPACE = "default";

/** A problem with one object, named by kind, namespace/name and field path. */
export interface FieldError {
  kind: string;
  namespace?: string;
  name?: string;
  /** Dotted path, e.g. spec.providerSpec.value.instanceType; empty for the whole object. */
  path: string;
  message: string;
  /** Which manifest file (and document index) it came from, when known. */
  source?: string;
}

export interface ObjectIdentity {
  kind: string;
  namespace: string;
  name?: string;
}

/** Kind, namespace (defaulted) and name of anything that looks like an object; never throws. */
export function identify(object: unknown): ObjectIdentity {
  const record = isRecord(object) ? object : {};
  const metadata = isRecord(record.metadata) ? record.metadata : {};
  const kind = typeof record.kind === "string" ? record.kind : "";
  const namespace =
    typeof metadata.namespace === "string" && metadata.namespace !== ""
      ? metadata.namespace
      : DEFAULT_NAMESPACE;
  const name = typeof metadata.name === "string" && metadata.name !== "" ? metadata.name : undefined;
  return name === undefined ? { kind, namespace } : { kind, namespace, name };
}

/** A FieldError about `object` at `path`, carrying the object's manifest source when known. */
export function errorAt(object: unknown, path: string, message: string): FieldError {
  const { kind, namespace, name } = identify(object);
  const source = sourceOf(object);
  return {
    kind,
    namespace,
    ...(name !== undefined ? { name } : {}),
    path,
    message,
    ...(source !== undefined ? { source } : {}),
  };
}

export function errorsAt(object: unknown, problems: readonly PathError[]): FieldError[] {
  return problems.map((problem) => errorAt(object, problem.path, problem.message));
}

/**
 * `Machine default/w1: spec.providerSpec.value.instanceType: required`.
 * Without a kind or name the manifest source stands in for the object.
 */
export function formatFieldError(error: FieldError): string {
  const where = error.path ? `${error.path}: ` : "";
  return `${describeObject(error)}: ${where}${error.message}`;
}

function describeObject(error: FieldError): string {
  if (error.kind && error.name) return `${error.kind} ${error.namespace ?? DEFAULT_NAMESPACE}/${error.name}`;
  if (error.kind) return `${error.kind} (unnamed${error.source ? `, ${error.source}` : ""})`;
  return error.source ?? "manifest";
}

/** Drops repeats (same object, path, message and source), keeping first-seen order. */
export function dedupeErrors(errors: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${formatFieldError(error)}\u0000${error.source ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
