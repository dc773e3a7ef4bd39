/** Names the cluster reconciler owns: finalizers and Event messages (stable: tools match on them). */
export const CLUSTER_FINALIZER = "cluster.cluster.k8s.io";
export const MACHINE_FINALIZER = "machine.cluster.k8s.io";

/** The InstanceOrphaned Event: the Machine went, its instance stays. */
export const ORPHANED_MESSAGE =
  "instance kept running and forgotten by Terraform (clusterform.io/on-delete: orphan)";
