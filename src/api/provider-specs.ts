import type { TSchema } from "@sinclair/typebox";
import { type Cidr, cidrContains, formatCidr, parseCidr, parseIpAddress } from "./cidr.js";
import { isRecord } from "./field-error.js";
import { joinPath, type PathError } from "./field-path.js";
import { checkDns1123Label, checkDns1123Subdomain } from "./names.js";
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
import { checkAwsClusterSpec, checkAwsMachineSpec } from "./validate-aws.js";

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
        check: checkVsphereClusterSpec,
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

function checkVsphereClusterSpec(spec: VsphereClusterProviderSpec, base: string): PathError[] {
  const secret = spec.credentialsSecret;
  if (secret === undefined) return [];
  const path = joinPath(base, "credentialsSecret");
  const problems: PathError[] = [];
  const nameProblem = checkDns1123Subdomain(secret.name);
  if (nameProblem)
    problems.push({ path: joinPath(path, "name"), message: `not a Secret name: ${nameProblem}` });
  const namespaceProblem = secret.namespace === undefined ? undefined : checkDns1123Label(secret.namespace);
  if (namespaceProblem) problems.push({ path: joinPath(path, "namespace"), message: namespaceProblem });
  return problems;
}

function checkVsphereMachineSpec(spec: VsphereMachineProviderSpec, base: string): PathError[] {
  const problems: PathError[] = [];
  if (spec.datastore === undefined)
    problems.push({
      path: joinPath(base, "datastore"),
      message: "required: the datastore the clone is placed on",
    });
  for (const [index, device] of spec.network.devices.entries()) {
    const path = joinPath(base, "network", "devices", index);
    const networks: Cidr[] = [];
    for (const [addressIndex, address] of (device.ipAddrs ?? []).entries()) {
      const cidr = parseCidr(address, { allowHostBits: true });
      if (!cidr.ok) problems.push({ path: joinPath(path, "ipAddrs", addressIndex), message: cidr.message });
      else networks.push(cidr.value);
    }
    if (device.gateway4 === undefined) continue;
    const gateway = parseIpAddress(device.gateway4);
    if (gateway?.family !== 4) {
      problems.push({
        path: joinPath(path, "gateway4"),
        message: `"${device.gateway4}" is not an IPv4 address`,
      });
      continue;
    }
    const ipv4 = networks.filter((network) => network.family === 4);
    if (ipv4.length && !ipv4.some((network) => cidrContains(network, { ...gateway, prefix: 32 }))) {
      problems.push({
        path: joinPath(path, "gateway4"),
        message: `${device.gateway4} lies outside the device's subnets (${ipv4.map(formatCidr).join(", ")})`,
      });
    }
  }
  return problems;
}
