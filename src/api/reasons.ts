/**
 * Every condition reason the controllers write (CamelCase, stable: tools and
 * tests match on them). One registry, grouped by the condition that uses
 * them; the condition types are in conditions.ts.
 */
export const Reason = {
  // Machine Ready
  InstanceRunning: "InstanceRunning",
  InstanceNotRunning: "InstanceNotRunning",
  /** The drift check found the recorded instance terminated or deleted out of band. */
  InstanceTerminated: "InstanceTerminated",
  Provisioning: "Provisioning",
  Deleting: "Deleting",
  /** A held plan creates the Machine's instance: it waits for approval. */
  PlanPending: "PlanPending",
  // Machine Ready, set by the Machine controller for a Machine naming no existing Cluster.
  ClusterNotFound: "ClusterNotFound",
  ClusterFound: "ClusterFound",
  // Ready and InfrastructureReady, Cluster and Machine
  WaitingForInfrastructure: "WaitingForInfrastructure",
  InvalidConfiguration: "InvalidConfiguration",
  InfrastructureProvisioned: "InfrastructureProvisioned",
  MachinesNotReady: "MachinesNotReady",
  AllMachinesReady: "AllMachinesReady",
  // PlanPending (Cluster and Machine)
  NoPlanPending: "NoPlanPending",
  AwaitingApproval: "AwaitingApproval",
  PlanOnly: "PlanOnly",
  PlanApplied: "PlanApplied",
  AppliedOutside: "AppliedOutside",
  NoChanges: "NoChanges",
  /** On a Machine: the held plan replaces its instance (the message names the cause). */
  InstanceReplacement: "InstanceReplacement",
  // Drifted
  DriftNotChecked: "DriftNotChecked",
  DriftDetected: "DriftDetected",
  DriftCorrected: "DriftCorrected",
  NoDrift: "NoDrift",
  // StateLocked
  StateLocked: "StateLocked",
  StateLockAcquired: "StateLockAcquired",
  // Bootstrap
  BootstrapDataReady: "BootstrapDataReady",
  /** Bootstrapped, with something a person should know (the message says what). */
  BootstrapWarnings: "BootstrapWarnings",
  /** Annotation clusterform.io/bootstrap: disabled: bare instances. */
  BootstrapDisabled: "BootstrapDisabled",
  /** No Machine to bootstrap (none yet, or only adopted instances). */
  NothingToBootstrap: "NothingToBootstrap",
  /** Machines but no control-plane Machine: nothing would run kubeadm init, nothing is planned. */
  NoControlPlane: "NoControlPlane",
  // The workload cluster (docs/workload.md): NodeHealthy on Machines, the rest on Clusters.
  NodeReady: "NodeReady",
  NodeNotReady: "NodeNotReady",
  NodeNotRegistered: "NodeNotRegistered",
  NodeStartupTimeout: "NodeStartupTimeout",
  WaitingForInstance: "WaitingForInstance",
  WaitingForWorkloadAPI: "WaitingForWorkloadAPI",
  WorkloadAPIUnreachable: "WorkloadAPIUnreachable",
  WorkloadAPIAnswered: "WorkloadAPIAnswered",
  InitMachineNodeRegistered: "InitMachineNodeRegistered",
  WaitingForInitMachineNode: "WaitingForInitMachineNode",
  NoControlPlaneMachine: "NoControlPlaneMachine",
  ControlPlaneNodesReady: "ControlPlaneNodesReady",
  ControlPlaneNodesNotReady: "ControlPlaneNodesNotReady",
  /** A late joiner waits for a token created in the workload cluster (docs/bootstrap.md): no instance yet. */
  WaitingForBootstrapToken: "WaitingForBootstrapToken",
} as const;
