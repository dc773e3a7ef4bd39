import { CLUSTER_OUTPUT, MACHINES_OUTPUT } from "../../stacks/index.js";
import { type MachineObservation, observeAwsMachine, observeVsphereMachine } from "./observe.js";

/** One Terraform output as `terraform output -json` (and apply's -json stream) gives it. */
export interface RawOutput {
  value?: unknown;
  sensitive?: boolean;
  type?: unknown;
}

export interface ClusterObservation {
  apiEndpoint?: { host: string; port: number };
  providerStatus: Record<string, unknown>;
  infrastructureReady: boolean;
}

/** The stack's outputs, read into what statuses are made of. */
export interface StackObservation {
  machines: Map<string, MachineObservation>;
  cluster: ClusterObservation;
  /** Non-sensitive outputs for status.outputs, flattened to strings. */
  outputs: Record<string, string>;
  /** Names of sensitive outputs: their values never go to status, events or logs. */
  sensitiveOutputs: string[];
}

/** Outputs whose content the statuses already carry in structured form. */
const STRUCTURED_OUTPUTS = new Set([MACHINES_OUTPUT, CLUSTER_OUTPUT]);

export function observeStack(provider: "aws" | "vsphere", raw: Record<string, RawOutput>): StackObservation {
  const machines = new Map<string, MachineObservation>();
  const machineOutputs = asRecord(raw[MACHINES_OUTPUT]?.value);
  for (const [name, value] of Object.entries(machineOutputs)) {
    const output = asRecord(value);
    if (provider === "aws" && typeof output.instance_id === "string" && output.instance_id) {
      machines.set(name, observeAwsMachine(output as { instance_id: string }));
    } else if (provider === "vsphere" && typeof output.uuid === "string" && output.uuid) {
      machines.set(name, observeVsphereMachine(output as { uuid: string }));
    }
  }
  return {
    machines,
    cluster: observeCluster(asRecord(raw[CLUSTER_OUTPUT]?.value)),
    outputs: flattenOutputs(raw),
    sensitiveOutputs: Object.keys(raw)
      .filter((k) => raw[k]?.sensitive)
      .sort(),
  };
}

function observeCluster(cluster: Record<string, unknown>): ClusterObservation {
  const providerStatus: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(cluster)) {
    if (key === "api_endpoint") continue;
    providerStatus[camelCase(key)] = value;
  }
  const endpoint = typeof cluster.api_endpoint === "string" ? parseEndpoint(cluster.api_endpoint) : undefined;
  return {
    ...(endpoint ? { apiEndpoint: endpoint } : {}),
    providerStatus,
    infrastructureReady: Object.keys(cluster).length > 0,
  };
}

export function parseEndpoint(text: string): { host: string; port: number } | undefined {
  const match = /^(.+):(\d+)$/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  return { host: match[1], port: Number(match[2]) };
}

function flattenOutputs(raw: Record<string, RawOutput>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name of Object.keys(raw).sort()) {
    const output = raw[name];
    if (!output || output.sensitive || STRUCTURED_OUTPUTS.has(name)) continue;
    flat[name] = typeof output.value === "string" ? output.value : JSON.stringify(output.value);
  }
  return flat;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function camelCase(key: string): string {
  return key
    .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
    .replace(/Ids$/, "IDs")
    .replace(/Id$/, "ID");
}
