/**
 * Field ownership (metadata.managedFields) for updates and server-side apply:
 * who set which field, and conflicts when an applier would change a field
 * another manager set.
 */
import { ApiError } from "../api-error.js";
import type { JsonSchema } from "../schema/types.js";
import type { KubeObject, ManagedFieldsEntry } from "../store.js";
import {
  displayPath,
  type FieldPath,
  fieldsV1ToPaths,
  leafPaths,
  pathsToFieldsV1,
  removeAt,
  valueAt,
} from "./field-paths.js";

const serverOwnedMetadata = [
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
];

export interface OwnershipContext {
  manager: string;
  apiVersion: string;
  schema: JsonSchema | undefined;
  /** "status" when written through /status; main-resource writes skip status when it is a subresource. */
  subresource?: string;
  statusIsSubresource: boolean;
}

/** The part of an object whose fields are owned by managers. */
export function trackedView(object: KubeObject, context: OwnershipContext): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, status, ...rest } = object;
  const meta: Record<string, unknown> = { ...metadata };
  for (const name of serverOwnedMetadata) delete meta[name];
  if (context.subresource === "status") return status === undefined ? {} : { status };
  const view: Record<string, unknown> = { ...rest, metadata: meta };
  if (!context.statusIsSubresource && status !== undefined) view.status = status;
  return view;
}

function pathsOf(object: KubeObject, context: OwnershipContext): FieldPath[] {
  return leafPaths(trackedView(object, context), context.schema);
}

const key = (path: FieldPath) => JSON.stringify(path);

function sameEntry(
  entry: ManagedFieldsEntry,
  manager: string,
  operation: string,
  subresource?: string,
): boolean {
  return (
    entry.manager === manager &&
    entry.operation === operation &&
    (entry.subresource ?? "") === (subresource ?? "")
  );
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

function rebuild(
  entries: { entry: ManagedFieldsEntry; paths: Map<string, FieldPath> }[],
): ManagedFieldsEntry[] {
  return entries
    .filter(({ paths }) => paths.size > 0)
    .map(({ entry, paths }) => ({ ...entry, fieldsV1: pathsToFieldsV1([...paths.values()]) }));
}

function load(object: KubeObject | undefined) {
  return (object?.metadata.managedFields ?? []).map((entry) => ({
    entry,
    paths: new Map(fieldsV1ToPaths(entry.fieldsV1 ?? {}).map((p) => [key(p), p])),
  }));
}

/** Records a non-apply write: the manager takes every field whose value it changed. */
export function recordUpdate(
  previous: KubeObject | undefined,
  next: KubeObject,
  context: OwnershipContext,
): void {
  const entries = load(previous);
  const before = new Map((previous ? pathsOf(previous, context) : []).map((p) => [key(p), p]));
  const after = new Map(pathsOf(next, context).map((p) => [key(p), p]));
  const changed = [...after].filter(
    ([k, p]) =>
      !before.has(k) ||
      JSON.stringify(valueAt(trackedView(previous as KubeObject, context), p)) !==
        JSON.stringify(valueAt(trackedView(next, context), p)),
  );
  for (const { paths } of entries) {
    for (const k of [...paths.keys()])
      if (!after.has(k) && !isOtherScope(paths.get(k), context)) paths.delete(k);
    for (const [k] of changed) paths.delete(k);
  }
  if (changed.length > 0) {
    let mine = entries.find(({ entry }) => sameEntry(entry, context.manager, "Update", context.subresource));
    if (!mine) {
      mine = { entry: newEntry(context, "Update"), paths: new Map() };
      entries.push(mine);
    }
    mine.entry = { ...mine.entry, time: now(), apiVersion: context.apiVersion };
    for (const [k, p] of changed) mine.paths.set(k, p);
  }
  next.metadata.managedFields = rebuild(entries);
}

/** Paths outside the written scope (status vs the rest) stay with their owners. */
function isOtherScope(path: FieldPath | undefined, context: OwnershipContext): boolean {
  if (!path || !context.statusIsSubresource) return false;
  const isStatus = path[0] === "f:status";
  return context.subresource === "status" ? !isStatus : isStatus;
}

function newEntry(context: OwnershipContext, operation: "Apply" | "Update"): ManagedFieldsEntry {
  return {
    manager: context.manager,
    operation,
    apiVersion: context.apiVersion,
    time: now(),
    fieldsType: "FieldsV1",
    fieldsV1: {},
    ...(context.subresource ? { subresource: context.subresource } : {}),
  };
}

/**
 * Server-side apply: merges `config` into `current`, removes fields this
 * manager applied before but no longer does (when nobody else owns them), and
 * fails with 409 on fields other managers own with a different value unless forced.
 */
export function applyConfiguration(
  current: KubeObject,
  config: KubeObject,
  context: OwnershipContext,
  force: boolean,
  merge: (target: unknown, patch: unknown) => unknown,
): KubeObject {
  const entries = load(current);
  const configView = trackedView(config, context);
  const configPaths = new Map(leafPaths(configView, context.schema).map((p) => [key(p), p]));
  const currentView = trackedView(current, context);
  const conflicts: { manager: string; apiVersion: string; path: FieldPath }[] = [];
  for (const { entry, paths } of entries) {
    if (sameEntry(entry, context.manager, "Apply", context.subresource)) continue;
    for (const [k, p] of configPaths) {
      if (!paths.has(k)) continue;
      const same = JSON.stringify(valueAt(currentView, p)) === JSON.stringify(valueAt(configView, p));
      if (!same) conflicts.push({ manager: entry.manager, apiVersion: entry.apiVersion, path: p });
    }
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);
  const mine = entries.find(({ entry }) => sameEntry(entry, context.manager, "Apply", context.subresource));
  const next = structuredClone(current);
  for (const [k, p] of mine?.paths ?? []) {
    const ownedElsewhere = entries.some(({ entry, paths }) => entry !== mine?.entry && paths.has(k));
    if (!configPaths.has(k) && !ownedElsewhere) removeAt(next, p);
  }
  const merged = merge(next, { ...config, metadata: { ...config.metadata } }) as KubeObject;
  const mergedView = trackedView(merged, context);
  for (const { entry, paths } of entries) {
    if (entry === mine?.entry) continue;
    for (const [k, p] of configPaths) {
      const differs = JSON.stringify(valueAt(currentView, p)) !== JSON.stringify(valueAt(mergedView, p));
      if (paths.has(k) && (force || differs)) paths.delete(k);
    }
  }
  const own = mine ?? { entry: newEntry(context, "Apply"), paths: new Map<string, FieldPath>() };
  own.entry = { ...own.entry, time: now(), apiVersion: context.apiVersion };
  own.paths = configPaths;
  if (!mine) entries.push(own);
  merged.metadata.managedFields = rebuild(entries);
  return merged;
}

function conflictError(conflicts: { manager: string; apiVersion: string; path: FieldPath }[]): ApiError {
  const causes = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with "${c.manager}" using ${c.apiVersion}`,
    field: displayPath(c.path),
  }));
  const summary =
    conflicts.length === 1
      ? `Apply failed with 1 conflict: ${causes[0]?.message}: ${causes[0]?.field}`
      : `Apply failed with ${conflicts.length} conflicts: ${causes.map((c) => `${c.message}: ${c.field}`).join("\n")}`;
  return new ApiError(409, "Conflict", summary, { causes });
}
