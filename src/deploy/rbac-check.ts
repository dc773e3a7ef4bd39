/**
 * The least-privilege proof: every request the controller (or its Terraform)
 * made in the audited runs must be allowed by the shipped ClusterRole, and
 * every grant of the ClusterRole must have been used by some request.
 * Pure: rules and audit records in, findings out.
 */
import type { IPolicyRule } from "kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule";
import type { AuditRecord } from "../api/audit-record.js";

/** A single permission: one verb on one group/resource[/subresource]. */
export interface Grant {
  group: string;
  resource: string;
  verb: string;
}

export interface RbacFindings {
  /** Requests no rule allows, each once. */
  denied: Grant[];
  /** Grants no request used. */
  unused: Grant[];
  /** Grants some request used (what an audit exercised). */
  used: Grant[];
}

/**
 * The requests the controller process makes (its User-Agent,
 * src/controllers/runtime/user-agent.ts) and those of the Terraform it runs:
 * the kubernetes backend's state Secrets and lock Leases go through the same
 * service account in a pod.
 */
export function isControllerRequest(record: AuditRecord, controllerAgent: string): boolean {
  return record.userAgent.startsWith(controllerAgent) || /\bTerraform\//.test(record.userAgent);
}

const resourceOf = (record: AuditRecord) =>
  record.subresource ? `${record.resource}/${record.subresource}` : record.resource;

const key = (grant: Grant) => `${grant.verb} ${grant.group || "core"}/${grant.resource}`;

/** Every (group, resource, verb) a rule names; wildcards are refused, not expanded. */
export function grantsOf(rules: readonly IPolicyRule[]): Grant[] {
  const grants: Grant[] = [];
  for (const rule of rules) {
    for (const group of rule.apiGroups ?? [])
      for (const resource of rule.resources ?? [])
        for (const verb of rule.verbs) {
          if ([group, resource, verb].includes("*"))
            throw new Error(`a least-privilege rule names no wildcard: ${verb} ${group}/${resource}`);
          grants.push({ group, resource, verb });
        }
  }
  return grants;
}

export function checkRbac(rules: readonly IPolicyRule[], records: readonly AuditRecord[]): RbacFindings {
  const granted = new Map(grantsOf(rules).map((grant) => [key(grant), grant]));
  const used = new Set<string>();
  const denied = new Map<string, Grant>();
  for (const record of records) {
    const grant = { group: record.group, resource: resourceOf(record), verb: record.verb };
    const id = key(grant);
    if (granted.has(id)) used.add(id);
    else denied.set(id, grant);
  }
  return {
    denied: [...denied.values()],
    unused: [...granted.entries()].filter(([id]) => !used.has(id)).map(([, grant]) => grant),
    used: [...granted.entries()].filter(([id]) => used.has(id)).map(([, grant]) => grant),
  };
}

export function describeGrants(grants: readonly Grant[]): string {
  return grants.map(key).sort().join(", ");
}
