import type { ClusterModel } from "../src/model/types.js";
import { machineLogicalId } from "./names.js";

/**
 * The Terraform address of the resource that is the machine, e.g.
 * `aws_instance.machine_w1` or `vsphere_virtual_machine.machine_w1`. Depends
 * only on the provider and the Machine's name, never on the other machines.
 */
export function machineResourceAddress(model: ClusterModel, machineName: string): string {
  if (!model.machines.some((machine) => machine.name === machineName)) {
    throw new Error(
      `Machine ${model.namespace}/${machineName} is not part of Cluster ${model.namespace}/${model.name}; check its cluster.k8s.io/cluster-name label`,
    );
  }
  const type = model.provider === "aws" ? "aws_instance" : "vsphere_virtual_machine";
  return `${type}.${machineLogicalId(machineName)}`;
}
