import type { AWSMachineProviderSpec } from "../src/api/provider-aws.js";
import type { AwsClusterModel, MachineModel } from "../src/model/types.js";

/**
 * Tags are merged on the raw strings (so a user tag never duplicates a key),
 * user tags first: clusterform's own tags win, as in Cluster API provider AWS.
 */
export function clusterTags(model: AwsClusterModel, name: string, extra: Record<string, string> = {}) {
  return merge(model.spec.additionalTags, extra, {
    Name: name,
    [`kubernetes.io/cluster/${model.name}`]: "owned",
    "clusterform.io/cluster": `${model.namespace}/${model.name}`,
  });
}

export function machineTags(model: AwsClusterModel, machine: MachineModel<AWSMachineProviderSpec>) {
  return merge(model.spec.additionalTags, machine.providerSpec.additionalTags, {
    Name: machine.name,
    [`kubernetes.io/cluster/${model.name}`]: "owned",
    "clusterform.io/cluster": `${model.namespace}/${model.name}`,
    "clusterform.io/machine": `${machine.namespace}/${machine.name}`,
    "clusterform.io/role": machine.role,
  });
}

function merge(...maps: (Record<string, string> | undefined)[]): Record<string, string> {
  const merged: Record<string, string> = Object.create(null);
  for (const map of maps) for (const [key, value] of Object.entries(map ?? {})) merged[key] = value;
  return merged;
}
