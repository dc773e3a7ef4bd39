import type { MachineAddress } from "../api/machine.js";

/**
 * What Terraform's outputs say about one machine, provider by provider. The
 * output shapes are the stacks' contract (stacks/outputs.ts).
 */
export interface MachineObservation {
  providerID: string;
  addresses: MachineAddress[];
  providerStatus: Record<string, string>;
  /** "running", "stopped", ... for AWS; "poweredOn" for vSphere VMs that exist. */
  instanceState: string;
}

export function observeAwsMachine(output: {
  instance_id: string;
  private_ip?: string;
  public_ip?: string;
  private_dns?: string;
  state?: string;
}): MachineObservation {
  const addresses: MachineAddress[] = [];
  if (output.private_ip) addresses.push({ type: "InternalIP", address: output.private_ip });
  if (output.public_ip) addresses.push({ type: "ExternalIP", address: output.public_ip });
  if (output.private_dns) addresses.push({ type: "InternalDNS", address: output.private_dns });
  const instanceState = output.state ?? "unknown";
  return {
    providerID: `aws:////${output.instance_id}`,
    addresses,
    providerStatus: { instanceID: output.instance_id, instanceState },
    instanceState,
  };
}

export function observeVsphereMachine(output: {
  uuid: string;
  default_ip?: string;
  moid?: string;
  /** Absent in the stack's outputs; set only when a drift check found the VM gone. */
  state?: string;
}): MachineObservation {
  const addresses: MachineAddress[] = output.default_ip
    ? [{ type: "InternalIP", address: output.default_ip }]
    : [];
  // The provider powers clones on and waits for them; an existing VM is a running one.
  const instanceState = output.state ?? "running";
  return {
    providerID: `vsphere://${output.uuid}`,
    addresses,
    providerStatus: { instanceID: output.uuid, ...(output.moid ? { moid: output.moid } : {}), instanceState },
    instanceState,
  };
}
