import type { VirtualMachineCloneCustomize } from "@cdktf/provider-vsphere/lib/virtual-machine/index.js";
import type { VsphereMachineProviderSpec } from "../../src/api/provider-vsphere.js";
import type { SynthContext } from "../context.js";
import { guestHostName } from "./guestinfo.js";

type Device = VsphereMachineProviderSpec["network"]["devices"][number];

/**
 * Guest customization, only when a device has static addresses (DHCP needs
 * none). Host name: the Machine name with "." as "-", at most 63 characters;
 * domain "local". Returns problems for addresses that are not IPv4 CIDRs.
 */
export function guestCustomization(
  context: SynthContext,
  machineName: string,
  devices: Device[],
  report: (path: string, message: string) => void,
): VirtualMachineCloneCustomize | undefined {
  if (!devices.some((device) => (device.ipAddrs ?? []).length > 0)) return undefined;
  const interfaces = devices.map((device, index) => {
    const first = device.ipAddrs?.[0];
    if (first === undefined) return {};
    const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(first);
    if (match === null || Number(match[2]) > 32) {
      report(
        `network.devices[${index}].ipAddrs[0]`,
        `"${first}" is not an IPv4 address in CIDR form such as 192.168.1.10/24`,
      );
      return {};
    }
    return { ipv4Address: context.literal(match[1] ?? ""), ipv4Netmask: Number(match[2]) };
  });
  const gateway = devices.find((device) => device.gateway4 !== undefined)?.gateway4;
  const nameservers = [...new Set(devices.flatMap((device) => device.nameservers ?? []))];
  return {
    linuxOptions: {
      hostName: context.literal(guestHostName(machineName)),
      domain: context.literal("local"),
    },
    networkInterface: interfaces,
    ipv4Gateway: gateway === undefined ? undefined : context.literal(gateway),
    dnsServerList: nameservers.length > 0 ? nameservers.map((server) => context.literal(server)) : undefined,
  };
}
