import type { ClusterSubnet } from "./network.js";

/**
 * The cluster subnet a machine goes into when its spec names none: in the
 * machine's availability zone if it names one, preferring public subnets,
 * then the first in the spec's order. undefined when nothing fits.
 */
export function pickClusterSubnet(
  subnets: ClusterSubnet[],
  availabilityZone?: string,
): ClusterSubnet | undefined {
  const candidates =
    availabilityZone === undefined
      ? subnets
      : subnets.filter((subnet) => subnet.availabilityZone === availabilityZone);
  return candidates.find((subnet) => subnet.isPublic) ?? candidates[0];
}
