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
    // Machines are read from the informer's list, never one by one.
    machines: ["list", "watch", "create", "patch", "delete"],
    "machines/status": ["patch"],
    machinesets: ["get", "list", "watch", "create", "patch", "delete"],
    "machinesets/status": ["patch"],
    machinedeployments: ["get", "list", "watch", "patch", "delete"],
    "machinedeployments/status": ["patch"],
    machineclasses: ["list", "watch"],
  },
  "": {
    // Terraform's kubernetes backend state (it lists them for workspaces) and sensitive outputs.
    secrets: ["get", "list", "create", "update", "delete"],
    // Plan ConfigMaps and the backend-config a Cluster names.
    configmaps: ["get", "list", "create", "update", "delete"],
    events: ["create", "patch"],
  },
  "coordination.k8s.io": {
    // Leader election, and Terraform's state lock (kubernetes backend).
    leases: ["get", "create", "update"],
  },
};
