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
  StateMoved: "StateMoved",
  AppliedOutside: "AppliedOutside",
  DestroyStarted: "DestroyStarted",
  DestroyFinished: "DestroyFinished",
  InstanceCreated: "InstanceCreated",
  TerraformFailed: "TerraformFailed",
  TerraformRetrying: "TerraformRetrying",
} as const;
