/** Condition reasons the status writer uses (CamelCase, stable: tools match on them). */
export const Reason = {
  InstanceRunning: "InstanceRunning",
  InstanceNotRunning: "InstanceNotRunning",
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
