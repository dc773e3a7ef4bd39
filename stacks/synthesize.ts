import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import type { ClusterModel } from "../src/model/types.js";
import { adoptionBlocks } from "./adoption.js";
import { buildAwsStack } from "./aws/stack.js";
import { backendBlock } from "./backend.js";
import { configJson } from "./canonical-json.js";
import { createContext, type SynthContext } from "./context.js";
import { objectRef } from "./elements.js";
import { LiteralTable } from "./literals.js";
import { isKubernetesName } from "./names.js";
import { listResources, type StackResource, summarize } from "./summary.js";
import { releasingTokens } from "./token-map.js";
import { buildVsphereStack } from "./vsphere/stack.js";

export interface StackOptions {
  /** Point the AWS provider at this URL (the local emulator) and skip the checks a fake API fails. */
  awsEndpoint?: string;
}

export interface SynthesizedStack {
  /** The bytes of cdk.tf.json: same model, same bytes. */
  json: string;
  resources: StackResource[];
  /** One line, e.g. "aws: 1 vpc, 1 subnet, ..., 5 instances". */
  summary: string;
  /**
   * Plain sentences naming the object, for things that synthesize but deserve
   * attention (e.g. a vSphere API endpoint that is the init machine's address).
   */
  warnings: string[];
}

export { LOCAL_STATE_PATH } from "./backend.js";

/**
 * Synthesizes the Terraform JSON of one cluster in memory (nothing is written
 * to the cluster's directory). Throws InvalidConfigurationError listing every
 * problem that keeps the model from becoming a valid stack.
 */
export function synthesizeStack(model: ClusterModel, options: StackOptions = {}): SynthesizedStack {
  return releasingTokens(() => synthesize(model, options));
}

function synthesize(model: ClusterModel, options: StackOptions): SynthesizedStack {
  const literals = new LiteralTable();
  const context = createContext(literals);
  const sorted = withSortedMachines(model);
  checkNames(context, sorted);
  context.problems.throwIfAny(objectRef("Cluster", model.namespace, model.name));

  const stack = new TerraformStack(newApp(), "cluster");
  if (sorted.provider === "aws") buildAwsStack(stack, context, sorted, options.awsEndpoint);
  else buildVsphereStack(stack, context, sorted);
  context.problems.throwIfAny(objectRef("Cluster", model.namespace, model.name));

  const tree = withBackendAndAdoption(
    literals.substitute(stack.toTerraform()) as Record<string, unknown>,
    sorted,
  );
  const resources = listResources(tree);
  return {
    json: configJson(tree),
    resources,
    summary: summarize(model.provider, resources),
    warnings: [...context.warnings],
  };
}

/** Plain JSON, added after CDKTF: the backend (never credentials) and import/removed blocks. */
function withBackendAndAdoption(tree: Record<string, unknown>, model: ClusterModel): Record<string, unknown> {
  const terraform = (tree.terraform ?? {}) as Record<string, unknown>;
  return {
    ...tree,
    ...adoptionBlocks(model),
    terraform: { ...terraform, backend: backendBlock(model.backend) },
  };
}

function newApp(): App {
  // cdktf's App creates its outdir (and a stacks/ folder in it) even when
  // nothing is synthesized to disk; keep that out of the caller's directory.
  const scratch = join(tmpdir(), "clusterform-cdktf");
  mkdirSync(join(scratch, "stacks"), { recursive: true });
  return new App({ outdir: scratch, stackTraces: false, skipValidation: true });
}

/** Synthesis order never depends on input order. */
function withSortedMachines<M extends ClusterModel>(model: M): M {
  const machines = [...model.machines].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...model, machines } as M;
}

// Addresses are derived from names; only Kubernetes names keep them injective.
function checkNames(context: SynthContext, model: ClusterModel) {
  const cluster = objectRef("Cluster", model.namespace, model.name);
  if (!isKubernetesName(model.name))
    context.problems.add(cluster, "metadata.name", "not a valid Kubernetes name");
  if (!isKubernetesName(model.namespace)) {
    context.problems.add(cluster, "metadata.namespace", "not a valid Kubernetes name");
  }
  for (const name of model.orphanedMachines ?? []) {
    if (!isKubernetesName(name))
      context.problems.add(cluster, "orphanedMachines", `"${name}" is not a Machine name`);
  }
  let previous: string | undefined;
  for (const machine of model.machines) {
    const ref = objectRef("Machine", machine.namespace, machine.name);
    if (!isKubernetesName(machine.name)) {
      context.problems.add(
        ref,
        "metadata.name",
        "not a valid Kubernetes name (lowercase letters, digits, '-' and '.')",
      );
    }
    if (machine.name === previous)
      context.problems.add(ref, "metadata.name", "two Machines of the cluster share this name");
    previous = machine.name;
  }
}
