/**
 * Event reasons the cluster reconciler emits on the Cluster (and the Machines
 * concerned); stable: tools match on them. Condition reasons are in reasons.ts.
 */
export const EventReason = {
  /** A leaving Machine's Node was cordoned and deleted in the workload cluster before its instance goes. */
  NodeRemoved: "NodeRemoved",
  /** The workload API did not answer within --node-deletion-timeout: the instance goes, the Node may stay. */
  NodeNotRemoved: "NodeNotRemoved",
  /** A late joiner's bootstrap token was created in the workload cluster's kube-system (its id, never its secret). */
  BootstrapTokenCreated: "BootstrapTokenCreated",
  InvalidConfiguration: "InvalidConfiguration",
  PlanStarted: "PlanStarted",
  PlanFinished: "PlanFinished",
  ApplyStarted: "ApplyStarted",
  /** Under auto, a one-run apply stopped before any change: it would destroy or replace something; a plan follows. */
  OneRunRefused: "OneRunRefused",
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
  /** Machines but no control-plane Machine: nothing would run kubeadm init, nothing is planned. */
  NoControlPlane: "NoControlPlane",
  /** Something about bootstrapping a person should know (an endpoint fallback, an expired token). */
  BootstrapWarning: "BootstrapWarning",
  /** The workload cluster's kubeconfig Secret was written (first time, new endpoint, renewal). */
  KubeconfigIssued: "KubeconfigIssued",
  /** An annotation clusterform reads (e.g. clusterform.io/drift-interval) could not be read: the default is used. */
  InvalidAnnotation: "InvalidAnnotation",
} as const;
