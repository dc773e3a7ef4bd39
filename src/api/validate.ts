import type { Cluster } from "./cluster.js";
import type { FieldError } from "./field-error.js";
import { errorAt, errorsAt, identify, isRecord } from "./field-error.js";
import type { PathError } from "./field-path.js";
import { isKindName, KIND_NAMES, type KindName } from "./kinds.js";
import type { Machine } from "./machine.js";
import type { MachineClass } from "./machine-class.js";
import type { MachineDeployment, MachineSet } from "./machine-set.js";
import { API_VERSION } from "./meta.js";
import { checkDns1123Label, checkDns1123Subdomain } from "./names.js";
import { checkObjectSchema } from "./schema-check.js";
import { sourceOf } from "./source.js";
import { SEMANTIC_CHECKS } from "./validate-kinds.js";
import { checkMetadataSyntax } from "./validate-meta.js";

export type ManifestObject = Cluster | Machine | MachineSet | MachineDeployment | MachineClass;

export type ValidatedManifest = { ok: true; object: ManifestObject } | { ok: false; errors: FieldError[] };

/** One manifest on its own: kind and apiVersion, schema, names, provider specs, selectors. */
export function validateManifest(object: unknown): ValidatedManifest {
  const errors = validateObject(object);
  return errors.length ? { ok: false, errors } : { ok: true, object: object as ManifestObject };
}

/** The errors of one object on its own; empty when it is valid. Never throws on malformed input. */
export function validateObject(object: unknown): FieldError[] {
  if (!isRecord(object)) {
    return [
      errorAt(object, "", "expected a Kubernetes object: a mapping with apiVersion, kind and metadata"),
    ];
  }
  const typeProblem = checkType(object);
  if (typeProblem) return [errorAt(object, typeProblem.path, typeProblem.message)];
  const kind = object.kind as KindName;
  const schemaProblems = checkObjectSchema(kind, object);
  const nameProblems = [...checkNames(object), ...checkMetadataSyntax(object)];
  if (schemaProblems.length) return errorsAt(object, [...nameProblems, ...schemaProblems]);
  return errorsAt(object, [...nameProblems, ...SEMANTIC_CHECKS[kind](object as never)]);
}

function checkType(object: Record<string, unknown>): PathError | undefined {
  if (object.kind === undefined) return { path: "kind", message: "required" };
  if (!isKindName(object.kind)) {
    return {
      path: "kind",
      message: `unknown kind ${JSON.stringify(object.kind)}: clusterform serves ${KIND_NAMES.join(", ")} (${API_VERSION})`,
    };
  }
  if (object.apiVersion === undefined) return { path: "apiVersion", message: "required" };
  if (object.apiVersion !== API_VERSION) {
    return {
      path: "apiVersion",
      message: `unknown apiVersion ${JSON.stringify(object.apiVersion)} for ${object.kind}: use ${API_VERSION}`,
    };
  }
  return undefined;
}

function checkNames(object: Record<string, unknown>): PathError[] {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const problems: PathError[] = [];
  const nameProblem =
    typeof metadata.name === "string" && metadata.name ? checkDns1123Subdomain(metadata.name) : undefined;
  if (nameProblem) problems.push({ path: "metadata.name", message: nameProblem });
  const namespaceProblem =
    typeof metadata.namespace === "string" && metadata.namespace
      ? checkDns1123Label(metadata.namespace)
      : undefined;
  if (namespaceProblem) problems.push({ path: "metadata.namespace", message: namespaceProblem });
  return problems;
}

/** Valid objects sorted by kind, in input order. */
export interface ManifestSet {
  clusters: Cluster[];
  machines: Machine[];
  machineSets: MachineSet[];
  machineDeployments: MachineDeployment[];
  machineClasses: MachineClass[];
}

export interface RejectedManifest {
  object: unknown;
  errors: FieldError[];
}

export interface ValidatedManifests {
  objects: ManifestSet;
  /** Objects with errors, in input order, each with its own errors (also in `errors`). */
  rejected: RejectedManifest[];
  errors: FieldError[];
}

/**
 * A set of manifests: each on its own, then across them — duplicate names and
 * MachineClasses that MachineSet/MachineDeployment templates name but no
 * manifest defines. (Machines' classes and cluster labels are checked by
 * buildModels, which sees the same Machines the controllers do.)
 */
export function validateManifests(objects: readonly unknown[]): ValidatedManifests {
  const duplicates = findDuplicates(objects);
  const classKeys = new Set(objects.filter((o) => identify(o).kind === "MachineClass").map(objectKey));
  const result: ValidatedManifests = {
    objects: { clusters: [], machines: [], machineSets: [], machineDeployments: [], machineClasses: [] },
    rejected: [],
    errors: [],
  };
  for (const object of objects) {
    const errors = validateObject(object);
    const duplicate = duplicates.get(object as object);
    if (duplicate) errors.push(duplicate);
    if (errors.length === 0) errors.push(...checkTemplateClass(object as ManifestObject, classKeys));
    if (errors.length) {
      result.rejected.push({ object, errors });
      result.errors.push(...errors);
    } else {
      addByKind(result.objects, object as ManifestObject);
    }
  }
  return result;
}

function addByKind(set: ManifestSet, object: ManifestObject): void {
  switch (object.kind) {
    case "Cluster":
      set.clusters.push(object);
      break;
    case "Machine":
      set.machines.push(object);
      break;
    case "MachineSet":
      set.machineSets.push(object);
      break;
    case "MachineDeployment":
      set.machineDeployments.push(object);
      break;
    case "MachineClass":
      set.machineClasses.push(object);
      break;
  }
}

function checkTemplateClass(object: ManifestObject, classKeys: Set<string>): FieldError[] {
  if (object.kind !== "MachineSet" && object.kind !== "MachineDeployment") return [];
  const ref = object.spec.template?.spec?.providerSpec.valueFrom?.machineClass;
  if (!ref?.name) return [];
  const namespace = ref.namespace ?? identify(object).namespace;
  if (classKeys.has(`MachineClass/${namespace}/${ref.name}`)) return [];
  return [
    errorAt(
      object,
      "spec.template.spec.providerSpec.valueFrom.machineClass",
      `MachineClass ${namespace}/${ref.name} not found`,
    ),
  ];
}

export function objectKey(object: unknown): string {
  const { kind, namespace, name } = identify(object);
  return `${kind}/${namespace}/${name ?? ""}`;
}

/** An error for every object whose kind, namespace and name an earlier object already has. */
export function findDuplicates(objects: readonly unknown[]): Map<object, FieldError> {
  const first = new Map<string, unknown>();
  const duplicates = new Map<object, FieldError>();
  for (const object of objects) {
    const { kind, namespace, name } = identify(object);
    if (!isRecord(object) || !kind || name === undefined) continue;
    const key = objectKey(object);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, object);
      continue;
    }
    const where = sourceOf(earlier);
    const message = `duplicate: ${kind} ${namespace}/${name} is already defined${where ? ` (${where})` : ""}`;
    duplicates.set(object, errorAt(object, "metadata.name", message));
  }
  return duplicates;
}
