/**
 * Event reasons the cluster reconciler emits on the Cluster (and the Machines
 * concerned); stable: tools match on them. Condition reasons are in reasons.ts.
 */
export const EventReason = {
  InvalidConfiguration: "InvalidConfiguration",
  PlanStarted: "PlanStarted",
  PlanFinished: "PlanFinished",
  ApplyStarted: "ApplyStarted",
  ApplyFinished: "ApplyFinished",
  ApplyHeld: "ApplyHeld",
  SensitiveOutputsStored: "SensitiveOutputsStored",
  PlanApproved: "PlanApproved",
  /** A held plan applied because the apply policy changed (e.g. manual -> auto). */
  PlanReleasedByPolicy: "PlanReleasedByPolicy",
  /** A plan would destroy an adopted instance: held under every policy. */
  AdoptedInstanceProtected: "AdoptedInstanceProtected",
  PlanApprovalIgnored: "PlanApprovalIgnored",
  PlanApprovalStale: "PlanApprovalStale",
  DriftDetected: "DriftDetected",
  StateMoved: "StateMoved",
  AppliedOutside: "AppliedOutside",
  DestroyStarted: "DestroyStarted",
  DestroyFinished: "DestroyFinished",
  InstanceCreated: "InstanceCreated",
  InstanceOrphaned: "InstanceOrphaned",
  TerraformFailed: "TerraformFailed",
  TerraformRetrying: "TerraformRetrying",
  /** A Terraform state lock our own crashed run left behind was force-unlocked. */
  StaleLockCleared: "StaleLockCleared",
} as const;
