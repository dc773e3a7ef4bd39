/** Names the cluster reconciler owns: finalizers and Event reasons (stable: tools match on them). */
export const CLUSTER_FINALIZER = "cluster.cluster.k8s.io";
export const MACHINE_FINALIZER = "machine.cluster.k8s.io";

/** Event reasons on the Cluster (and the Machines concerned). */
export const EventReason = {
  InvalidConfiguration: "InvalidConfiguration",
  PlanStarted: "PlanStarted",
  PlanFinished: "PlanFinished",
  ApplyStarted: "ApplyStarted",
  ApplyFinished: "ApplyFinished",
  ApplyHeld: "ApplyHeld",
  PlanApproved: "PlanApproved",
  PlanApprovalIgnored: "PlanApprovalIgnored",
  PlanApprovalStale: "PlanApprovalStale",
  DriftDetected: "DriftDetected",
  DestroyStarted: "DestroyStarted",
  DestroyFinished: "DestroyFinished",
  InstanceCreated: "InstanceCreated",
  TerraformFailed: "TerraformFailed",
  TerraformRetrying: "TerraformRetrying",
  /** A Terraform state lock our own crashed run left behind was force-unlocked. */
  StaleLockCleared: "StaleLockCleared",
} as const;
