import type { TerraformVariable } from "cdktf";
import { bootstrapPayload } from "../bootstrap.js";
import type { SynthContext } from "../context.js";

/**
 * Bootstrap data for cloud-init's VMware datasource (guestinfo transport):
 * user data gzipped and base64-encoded by Terraform from the sensitive
 * variable, metadata (instance id, host name) base64-encoded here. The
 * metadata's `redact` key (cloud-init >= 21.3; `cleanup-guestinfo` is its
 * older name, still read, and the only one the standalone guestinfo
 * datasource of older images knows) makes cloud-init clear
 * guestinfo.userdata once it has read it, so the data does not stay
 * readable through VMware Tools.
 */
export function guestinfoExtraConfig(
  context: SynthContext,
  machine: { name: string; hostName: string },
  variable: TerraformVariable,
  endpointHost: string,
): Record<string, string> {
  const metadata = {
    "instance-id": machine.name,
    "local-hostname": machine.hostName,
    redact: ["userdata"],
    "cleanup-guestinfo": ["userdata"],
  };
  return {
    "guestinfo.userdata": bootstrapPayload(variable, endpointHost),
    "guestinfo.userdata.encoding": "gzip+base64",
    "guestinfo.metadata": context.literal(Buffer.from(JSON.stringify(metadata)).toString("base64")),
    "guestinfo.metadata.encoding": "base64",
  };
}

/** The guest's host name: the Machine name with "." as "-", at most 63 characters. */
export function guestHostName(machineName: string): string {
  return machineName.replaceAll(".", "-").slice(0, 63);
}
