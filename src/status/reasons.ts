/** Condition reasons the status writer uses (CamelCase, stable: tools match on them). */
export const Reason = {
  InstanceRunning: "InstanceRunning",
  InstanceNotRunning: "InstanceNotRunning",
  /** The drift check found the recorded instance terminated or deleted out of band. */
  InstanceTerminated: "InstanceTerminated",
  WaitingForInfrastructure: "WaitingForInfrastructure",
  Provisioning: "Provisioning",
  Deleting: "Deleting",
  InvalidConfiguration: "InvalidConfiguration",
  InfrastructureProvisioned: "InfrastructureProvisioned",
  MachinesNotReady: "MachinesNotReady",
  AllMachinesReady: "AllMachinesReady",
  NoPlanPending: "NoPlanPending",
  DriftNotChecked: "DriftNotChecked",
} as const;
