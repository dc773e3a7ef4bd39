import { checkAvailabilityZone } from "../api/aws-formats.js";
import { joinPath, type PathError } from "../api/field-path.js";
import type { AWSClusterProviderSpec, AWSMachineProviderSpec } from "../api/provider-aws.js";
import type { ClusterProviderSpec, MachineProviderSpec, ProviderName } from "../api/provider-specs.js";
import type { VsphereClusterProviderSpec, VsphereMachineProviderSpec } from "../api/provider-vsphere.js";

// What a Machine's provider spec needs from its Cluster's: checked when both
// are known (buildModels), so the stack never meets a Machine it cannot place.

export function checkMachineInCluster(
  provider: ProviderName,
  cluster: ClusterProviderSpec,
  machine: MachineProviderSpec,
  base: string,
): PathError[] {
  return provider === "aws"
    ? checkAwsPlacement(cluster as AWSClusterProviderSpec, machine as AWSMachineProviderSpec, base)
    : checkVsphereDatacenter(
        cluster as VsphereClusterProviderSpec,
        machine as VsphereMachineProviderSpec,
        base,
      );
}

/** The zone lies in the Cluster's region; with no subnet named, one of the Cluster's must fit. */
function checkAwsPlacement(
  cluster: AWSClusterProviderSpec,
  machine: AWSMachineProviderSpec,
  base: string,
): PathError[] {
  const zone = machine.availabilityZone;
  if (zone !== undefined) {
    const wrongRegion = checkAvailabilityZone(zone, cluster.region, joinPath(base, "availabilityZone"));
    if (wrongRegion.length) return wrongRegion;
  }
  if (machine.subnet !== undefined) return [];
  const listed = cluster.networkSpec?.subnets ?? [];
  // A new VPC with no subnets listed gets one public subnet in zone <region>a (docs/stacks.md).
  const zones =
    listed.length === 0 && cluster.networkSpec?.vpc?.id === undefined
      ? [`${cluster.region}a`]
      : listed.map((subnet) => subnet.availabilityZone);
  if (zones.length === 0) {
    return [
      {
        path: joinPath(base, "subnet"),
        message: "the cluster has no subnet to place this machine in; name one with subnet.id",
      },
    ];
  }
  if (zone === undefined || zones.includes(zone)) return [];
  return [
    {
      path: joinPath(base, "subnet"),
      message: `no subnet of the cluster is in availability zone "${zone}"; add one to the Cluster's networkSpec.subnets or name subnet.id`,
    },
  ];
}

function checkVsphereDatacenter(
  cluster: VsphereClusterProviderSpec,
  machine: VsphereMachineProviderSpec,
  base: string,
): PathError[] {
  if ((machine.datacenter ?? cluster.datacenter ?? "") !== "") return [];
  return [{ path: joinPath(base, "datacenter"), message: "required here or in the Cluster's providerSpec" }];
}
