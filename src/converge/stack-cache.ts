import { managedAddresses, synthesizeStack } from "../../stacks/index.js";
import type { ObjectMeta } from "../api/meta.js";
import type { ClusterModel } from "../model/types.js";
import { hashValue, sha256 } from "../util/hash.js";
import type { ClusterRef } from "./options.js";

export interface SynthResult {
  /** The bytes of cdk.tf.json. */
  json: string;
  /** sha256 of `json`: what the applied record is compared with. */
  configHash: string;
  /** One line, e.g. "aws: 1 vpc, ..., 5 instances". */
  summary: string;
  /** `type.name` of every managed resource the stack declares, sorted. */
  resources: readonly string[];
  /** What synthesis wants a person to know (e.g. vSphere's endpoint fallback); never secret. */
  warnings: readonly string[];
}

/**
 * Synthesizes each cluster's stack only when its model changed: a synthesis
 * costs tens to hundreds of milliseconds of CPU, and a controller would
 * otherwise pay it on every status update. Keyed by a hash of the model's
 * inputs (specs, names, labels, annotations; never status or
 * resourceVersion), there is one synthesis per actual change of a cluster's
 * desired state. (Memory no longer depends on it: synthesizeStack drops the
 * entries it added to cdktf's process-global token map, stacks/token-map.ts.)
 */
export class StackCache {
  private readonly entries = new Map<string, { modelHash: string; result: SynthResult }>();
  /** How many stacks this process synthesized (for tests and the docs' memory note). */
  synthesized = 0;

  constructor(private readonly options: { awsEndpoint?: string } = {}) {}

  synth(model: ClusterModel): SynthResult {
    const key = `${model.namespace}/${model.name}`;
    const modelHash = hashModel(model, this.options.awsEndpoint);
    const cached = this.entries.get(key);
    if (cached?.modelHash === modelHash) return cached.result;
    const stack = synthesizeStack(
      model,
      this.options.awsEndpoint ? { awsEndpoint: this.options.awsEndpoint } : {},
    );
    this.synthesized++;
    const result = {
      json: stack.json,
      configHash: sha256(stack.json),
      summary: stack.summary,
      resources: managedAddresses(stack.resources),
      warnings: stack.warnings,
    };
    this.entries.set(key, { modelHash, result });
    return result;
  }

  forget(key: ClusterRef): void {
    this.entries.delete(`${key.namespace}/${key.name}`);
  }
}

/** The inputs synthesis can depend on, and nothing the controller itself writes. */
export function hashModel(model: ClusterModel, awsEndpoint?: string): string {
  const inputs = {
    awsEndpoint: awsEndpoint ?? null,
    namespace: model.namespace,
    name: model.name,
    provider: model.provider,
    spec: model.spec,
    network: model.network,
    // Which Machines get user data and which one inits (the data itself is a variable, not synthesized).
    bootstrap: model.bootstrap ?? null,
    cluster: { metadata: desiredMeta(model.cluster.metadata), spec: model.cluster.spec },
    machines: model.machines.map((m) => ({
      name: m.name,
      role: m.role,
      providerSpec: m.providerSpec,
      machineClass: m.machineClass ?? null,
      metadata: desiredMeta(m.machine.metadata),
      // providerID is written back by the controller; it is not desired state.
      spec: { ...m.machine.spec, providerID: undefined },
    })),
  };
  return hashValue(inputs);
}

function desiredMeta(metadata: ObjectMeta) {
  return {
    name: metadata.name,
    namespace: metadata.namespace,
    labels: metadata.labels,
    annotations: metadata.annotations,
  };
}
