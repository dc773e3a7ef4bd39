/**
 * ObjectMeta rules every kind shares (apimachinery's ValidateObjectMeta):
 * name, label keys and values, annotation keys and their total size,
 * finalizer names. Returns causes with the apiserver's field paths.
 */
import type { StatusCause } from "../api-error.js";
import type { KubeObject } from "../store.js";
import {
  dnsSubdomainErrors,
  labelValueErrors,
  labelValueMaxLength,
  qualifiedNameErrors,
  shown,
} from "./names.js";

/** Kubernetes' TotalAnnotationSizeLimitB: keys plus values, in bytes. */
export const totalAnnotationSizeLimit = 256 * 1024;

const namespaceNameMaxLength = labelValueMaxLength;
const dnsLabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function invalid(field: string, value: unknown, message: string): StatusCause {
  return { field, message: `Invalid value: ${shown(value)}: ${message}` };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function nameCauses(kind: string, name: unknown): StatusCause[] {
  if (name === undefined || name === "") {
    return [
      {
        reason: "FieldValueRequired",
        field: "metadata.name",
        message: "Required value: name or generateName is required",
      },
    ];
  }
  if (typeof name !== "string") return [invalid("metadata.name", name, "must be a string")];
  if (kind === "Namespace") {
    if (name.length > namespaceNameMaxLength || !dnsLabelPattern.test(name)) {
      return [
        invalid(
          "metadata.name",
          name,
          `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character, and be at most ${namespaceNameMaxLength} characters`,
        ),
      ];
    }
    return [];
  }
  return dnsSubdomainErrors(name).map((message) => invalid("metadata.name", name, message));
}

function labelCauses(labels: unknown): StatusCause[] {
  if (labels === undefined || labels === null) return [];
  if (!isPlainObject(labels))
    return [invalid("metadata.labels", labels, "must be a map of string keys to string values")];
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels)) {
    for (const message of qualifiedNameErrors(key)) causes.push(invalid("metadata.labels", key, message));
    if (typeof value !== "string") {
      causes.push(invalid(`metadata.labels[${key}]`, value, "must be a string"));
      continue;
    }
    for (const message of labelValueErrors(value)) causes.push(invalid("metadata.labels", value, message));
  }
  return causes;
}

function annotationCauses(annotations: unknown): StatusCause[] {
  if (annotations === undefined || annotations === null) return [];
  if (!isPlainObject(annotations))
    return [invalid("metadata.annotations", annotations, "must be a map of string keys to string values")];
  const causes: StatusCause[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    // The apiserver checks annotation keys lowercased: upper case is allowed in the prefix too.
    for (const message of qualifiedNameErrors(key.toLowerCase()))
      causes.push(invalid("metadata.annotations", key, message));
    if (typeof value !== "string")
      causes.push(invalid(`metadata.annotations[${key}]`, value, "must be a string"));
    size += Buffer.byteLength(key) + Buffer.byteLength(typeof value === "string" ? value : "");
  }
  if (size > totalAnnotationSizeLimit) {
    causes.push({
      reason: "FieldValueTooLong",
      field: "metadata.annotations",
      message: `Too long: must have at most ${totalAnnotationSizeLimit} bytes`,
    });
  }
  return causes;
}

function finalizerCauses(finalizers: unknown): StatusCause[] {
  if (finalizers === undefined || finalizers === null) return [];
  if (!Array.isArray(finalizers))
    return [invalid("metadata.finalizers", finalizers, "must be a list of strings")];
  const causes: StatusCause[] = [];
  for (const [index, finalizer] of finalizers.entries()) {
    if (typeof finalizer !== "string") {
      causes.push(invalid(`metadata.finalizers[${index}]`, finalizer, "must be a string"));
      continue;
    }
    for (const message of qualifiedNameErrors(finalizer))
      causes.push(invalid("metadata.finalizers", finalizer, message));
  }
  return causes;
}

export function objectMetaCauses(kind: string, object: KubeObject): StatusCause[] {
  const meta = object.metadata;
  return [
    ...nameCauses(kind, meta.name),
    ...labelCauses(meta.labels),
    ...annotationCauses(meta.annotations),
    ...finalizerCauses(meta.finalizers),
  ];
}
