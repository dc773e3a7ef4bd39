/**
 * The request audit: one JSON line per resource request (who asked, which
 * verb on which group/resource/subresource in which namespace), the fields
 * Kubernetes RBAC authorizes on. Off unless asked for (option or
 * CLUSTERFORM_AUDIT_DIR), so the e2e suite can prove the shipped RBAC rules
 * (src/deploy/rbac-check.ts). Lines are appended synchronously: a request is
 * on disk before it is served, and a crash loses none.
 */

import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { AuditRecord } from "../api/audit-record.js";
import type { ResourceRoute } from "./route.js";

export const AUDIT_DIR_ENV = "CLUSTERFORM_AUDIT_DIR";

export type AuditSink = (record: AuditRecord) => void;

/** The file to audit into: the explicit one, else a fresh file in $CLUSTERFORM_AUDIT_DIR, else none. */
export function auditFileFor(explicit: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (explicit) {
    mkdirSync(dirname(explicit), { recursive: true });
    return explicit;
  }
  const dir = env[AUDIT_DIR_ENV];
  if (!dir) return undefined;
  mkdirSync(dir, { recursive: true });
  return join(dir, `audit-${process.pid}-${randomUUID()}.jsonl`);
}

export function fileAuditSink(file: string): AuditSink {
  return (record) => appendFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

/** The RBAC verb of a request, as kube-apiserver names it. */
export function verbOf(method: string, route: ResourceRoute, query: URLSearchParams): string {
  const watch = query.get("watch");
  switch (method) {
    case "GET":
      if (!route.name) return watch === "true" || watch === "1" ? "watch" : "list";
      return "get";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return route.name ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}

export function auditRecord(
  method: string,
  route: ResourceRoute,
  query: URLSearchParams,
  userAgent: string | undefined,
): AuditRecord {
  return {
    verb: verbOf(method, route, query),
    group: route.group,
    resource: route.plural,
    ...(route.subresource ? { subresource: route.subresource } : {}),
    ...(route.namespace ? { namespace: route.namespace } : {}),
    userAgent: userAgent ?? "",
  };
}
