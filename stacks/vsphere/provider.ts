import { VsphereProvider, type VsphereProviderConfig } from "@cdktf/provider-vsphere/lib/provider/index.js";
import type { Construct } from "constructs";
import type { VsphereClusterProviderSpec } from "../../src/api/provider-vsphere.js";
import type { SynthContext } from "../context.js";

/**
 * The vSphere provider: server and certificate policy only. The provider
 * reads user and password from VSPHERE_USER / VSPHERE_PASSWORD (clusterform
 * sets them from the Cluster's credentials Secret), so they never appear in
 * the JSON; the generated binding marks them required, hence the cast.
 */
export function addVsphereProvider(
  scope: Construct,
  context: SynthContext,
  spec: VsphereClusterProviderSpec,
) {
  const config = {
    vsphereServer: context.literal(spec.server),
    allowUnverifiedSsl: spec.insecure ?? false,
  } as VsphereProviderConfig;
  return new VsphereProvider(scope, "vsphere", config);
}
