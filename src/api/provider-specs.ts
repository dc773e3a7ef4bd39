import type { TSchema } from "@sinclair/typebox";
import { cidrContains, parseCidr, parseIpAddress } from "./cidr.js";
import { isRecord } from "./field-error.js";
import { joinPath, type PathError } from "./field-path.js";
import {
  AWS_API_VERSIONS,
  type AWSClusterProviderSpec,
  AWSClusterProviderSpecSchema,
  type AWSMachineProviderSpec,
  AWSMachineProviderSpecSchema,
} from "./provider-aws.js";
import {
  VSPHERE_API_VERSIONS,
  type VsphereClusterProviderSpec,
  VsphereClusterProviderSpecSchema,
  type VsphereMachineProviderSpec,
  VsphereMachineProviderSpecSchema,
} from "./provider-vsphere.js";
import { checkSchema } from "./schema-check.js";

export type ProviderName = "aws" | "vsphere";
/** A Cluster carries a cluster provider spec; Machines and MachineClasses a machine one. */
export type SpecRole = "cluster" | "machine";

interface ProviderSpecKind {
  provider: ProviderName;
  role: SpecRole;
  kinds: readonly string[];
  schema: TSchema;
  check: (spec: never, base: string) => PathError[];
}

const PROVIDERS: Record<ProviderName, { apiVersions: readonly string[]; specs: ProviderSpecKind[] }> = {
  aws: {
    apiVersions: AWS_API_VERSIONS,
    specs: [
      {
        provider: "aws",
        role: "cluster",
        kinds: ["AWSClusterProviderSpec"],
        schema: AWSClusterProviderSpecSchema,
        check: checkAwsClusterSpec,
      },
      {
        provider: "aws",
        role: "machine",
        kinds: ["AWSMachineProviderSpec"],
        schema: AWSMachineProviderSpecSchema,
        check: checkAwsMachineSpec,
      },
    ],
  },
  vsphere: {
    apiVersions: VSPHERE_API_VERSIONS,
    specs: [
      {
        provider: "vsphere",
        role: "cluster",
        kinds: ["VsphereClusterProviderSpec", "VsphereClusterProviderConfig"],
        schema: VsphereClusterProviderSpecSchema,
        check: () => [],
      },
      {
        provider: "vsphere",
        role: "machine",
        kinds: ["VsphereMachineProviderSpec", "VsphereMachineProviderConfig"],
        schema: VsphereMachineProviderSpecSchema,
        check: checkVsphereMachineSpec,
      },
    ],
  },
};

export type ClusterProviderSpec = AWSClusterProviderSpec | VsphereClusterProviderSpec;
export type MachineProviderSpec = AWSMachineProviderSpec | VsphereMachineProviderSpec;

export type CheckedProviderSpec<S> =
  | { ok: true; provider: ProviderName; spec: S }
  | { ok: false; provider?: ProviderName; errors: PathError[] };

/** Which provider an apiVersion belongs to, if any. */
export function providerOfApiVersion(apiVersion: unknown): ProviderName | undefined {
  for (const [name, provider] of Object.entries(PROVIDERS)) {
    if (provider.apiVersions.includes(apiVersion as string)) return name as ProviderName;
  }
  return undefined;
}

export function checkClusterProviderSpec(
  value: unknown,
  base: string,
): CheckedProviderSpec<ClusterProviderSpec> {
  return checkProviderSpec(value, "cluster", base) as CheckedProviderSpec<ClusterProviderSpec>;
}

export function checkMachineProviderSpec(
  value: unknown,
  base: string,
): CheckedProviderSpec<MachineProviderSpec> {
  return checkProviderSpec(value, "machine", base) as CheckedProviderSpec<MachineProviderSpec>;
}

/** Identifies the provider spec by apiVersion and kind, then checks it against that provider's schema. */
function checkProviderSpec(value: unknown, role: SpecRole, base: string): CheckedProviderSpec<unknown> {
  if (!isRecord(value)) return { ok: false, errors: [{ path: base, message: "must be an object" }] };
  const provider = providerOfApiVersion(value.apiVersion);
  if (value.apiVersion === undefined)
    return fail([{ path: joinPath(base, "apiVersion"), message: "required" }]);
  if (!provider) {
    const known = Object.values(PROVIDERS).flatMap((p) => p.apiVersions);
    return fail([
      {
        path: joinPath(base, "apiVersion"),
        message: `unknown provider apiVersion ${JSON.stringify(value.apiVersion)}: use one of ${known.join(", ")}`,
      },
    ]);
  }
  const kindProblem = checkSpecKind(value.kind, provider, role, base);
  if (kindProblem) return fail([kindProblem], provider);
  const specKind = PROVIDERS[provider].specs.find((s) => s.role === role) as ProviderSpecKind;
  const problems = checkSchema(specKind.schema, value, base);
  if (problems.length) return fail(problems, provider);
  const semantic = specKind.check(value as never, base);
  if (semantic.length) return fail(semantic, provider);
  return { ok: true, provider, spec: value };
}

function fail(errors: PathError[], provider?: ProviderName): CheckedProviderSpec<never> {
  return provider ? { ok: false, provider, errors } : { ok: false, errors };
}

function checkSpecKind(
  kind: unknown,
  provider: ProviderName,
  role: SpecRole,
  base: string,
): PathError | undefined {
  const path = joinPath(base, "kind");
  const wanted = PROVIDERS[provider].specs.find((s) => s.role === role) as ProviderSpecKind;
  const other = PROVIDERS[provider].specs.find((s) => s.role !== role) as ProviderSpecKind;
  if (kind === undefined) return { path, message: "required" };
  if (wanted.kinds.includes(kind as string)) return undefined;
  const owner = role === "cluster" ? "a Cluster" : "a Machine";
  if (other.kinds.includes(kind as string)) {
    return { path, message: `${kind} is a ${other.role} provider spec: ${owner} needs ${wanted.kinds[0]}` };
  }
  return {
    path,
    message: `unknown provider spec kind ${JSON.stringify(kind)}: ${owner} needs ${wanted.kinds[0]}`,
  };
}

function checkAwsClusterSpec(spec: AWSClusterProviderSpec, base: string): PathError[] {
  const problems: PathError[] = [];
  const network = spec.networkSpec;
  const vpcPath = joinPath(base, "networkSpec", "vpc", "cidrBlock");
  const vpc = network?.vpc?.cidrBlock === undefined ? undefined : parseCidr(network.vpc.cidrBlock);
  if (vpc && !vpc.ok) problems.push({ path: vpcPath, message: vpc.message });
  if (vpc?.ok && (vpc.value.family !== 4 || vpc.value.prefix < 16 || vpc.value.prefix > 28)) {
    problems.push({ path: vpcPath, message: "a VPC needs an IPv4 CIDR between /16 and /28" });
  }
  for (const [index, subnet] of (network?.subnets ?? []).entries()) {
    const path = joinPath(base, "networkSpec", "subnets", index);
    if (subnet.id === undefined && subnet.cidrBlock === undefined) {
      problems.push({ path, message: "set id (an existing subnet) or cidrBlock (a new one)" });
    }
    if (subnet.cidrBlock === undefined) continue;
    const cidr = parseCidr(subnet.cidrBlock);
    if (!cidr.ok) problems.push({ path: joinPath(path, "cidrBlock"), message: cidr.message });
    else if (vpc?.ok && cidr.value.family === 4 && !cidrContains(vpc.value, cidr.value)) {
      problems.push({
        path: joinPath(path, "cidrBlock"),
        message: `${subnet.cidrBlock} lies outside the VPC's ${network?.vpc?.cidrBlock}`,
      });
    }
  }
  return problems;
}

function checkAwsMachineSpec(spec: AWSMachineProviderSpec, base: string): PathError[] {
  if (spec.ami.id !== undefined || (spec.ami.filters ?? []).length > 0) return [];
  return [{ path: joinPath(base, "ami"), message: "set id (an AMI id) or filters" }];
}

function checkVsphereMachineSpec(spec: VsphereMachineProviderSpec, base: string): PathError[] {
  const problems: PathError[] = [];
  for (const [index, device] of spec.network.devices.entries()) {
    const path = joinPath(base, "network", "devices", index);
    for (const [addressIndex, address] of (device.ipAddrs ?? []).entries()) {
      const cidr = parseCidr(address, { allowHostBits: true });
      if (!cidr.ok) problems.push({ path: joinPath(path, "ipAddrs", addressIndex), message: cidr.message });
    }
    if (device.gateway4 !== undefined && parseIpAddress(device.gateway4)?.family !== 4) {
      problems.push({
        path: joinPath(path, "gateway4"),
        message: `"${device.gateway4}" is not an IPv4 address`,
      });
    }
  }
  return problems;
}
