/**
 * What the controller (and the Terraform it runs, whose kubernetes backend
 * uses the pod's service account) may do, cluster-wide: Clusters live in any
 * namespace, and their state Secrets, lock Leases, plan ConfigMaps and Events
 * live beside them. Nothing here is granted on a guess: the e2e suite records
 * every request (CLUSTERFORM_AUDIT_DIR) and src/deploy/rbac-check.ts fails on
 * a request these rules deny and on a grant no request used.
 * Keys: resource or resource/subresource; values: verbs.
 */
export const CONTROLLER_PERMISSIONS: Record<string, Record<string, string[]>> = {
  "cluster.k8s.io": {
    clusters: ["get", "list", "watch", "patch"],
    "clusters/status": ["patch"],
    machines: ["get", "list", "watch", "create", "patch", "delete"],
    "machines/status": ["patch"],
    machinesets: ["get", "list", "watch", "create", "patch", "delete"],
    "machinesets/status": ["patch"],
    machinedeployments: ["get", "list", "watch", "patch"],
    "machinedeployments/status": ["patch"],
    machineclasses: ["get", "list", "watch"],
  },
  "": {
    secrets: ["get", "list", "create", "update", "delete"],
    configmaps: ["get", "list", "watch", "create", "update", "patch", "delete"],
    events: ["create", "patch"],
  },
  "coordination.k8s.io": {
    leases: ["get", "create", "update", "delete"],
  },
};
