/**
 * One resource request to a Kubernetes API server as RBAC authorizes it: who
 * asked (User-Agent), which verb on which group/resource/subresource, in which
 * namespace. The embedded control plane writes these (src/control-plane/audit.ts)
 * and the least-privilege proof reads them (src/deploy/rbac-check.ts): one
 * shape for both, here because both may import src/api and not each other.
 */
export interface AuditRecord {
  verb: string;
  /** "" for the core group. */
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  userAgent: string;
}
