import { type Cidr, cidrsOverlap, formatCidr, parseCidr } from "./cidr.js";
import type { Cluster } from "./cluster.js";
import { clusterNameOf } from "./cluster-label.js";
import { joinPath, type PathError } from "./field-path.js";
import type { KindName } from "./kinds.js";
import { checkLabelValue, checkQualifiedName } from "./kube-syntax.js";
import type { Machine } from "./machine.js";
import { classProviderSpec, type MachineClass } from "./machine-class.js";
import type { MachineDeployment, MachineSet } from "./machine-set.js";
import { checkDns1123Subdomain } from "./names.js";
import type { ProviderSpec } from "./provider-spec.js";
import { checkClusterProviderSpec, checkMachineProviderSpec } from "./provider-specs.js";
import { checkSelector, explainMismatch } from "./selector.js";
import { checkRollout } from "./validate-rollout.js";

// Checks beyond the schema, per kind. Each runs only on an object that
// already passed its schema, so the static types hold.

export const SEMANTIC_CHECKS: Record<KindName, (object: never) => PathError[]> = {
  Cluster: checkCluster,
  Machine: checkMachine,
  MachineSet: checkMachineOwner,
  MachineDeployment: checkMachineOwner,
  MachineClass: checkMachineClass,
};

function checkCluster(cluster: Cluster): PathError[] {
  const problems: PathError[] = [];
  const seen: { cidr: Cidr; path: string }[] = [];
  for (const range of ["services", "pods"] as const) {
    for (const [index, block] of (cluster.spec.clusterNetwork?.[range]?.cidrBlocks ?? []).entries()) {
      const path = joinPath("spec.clusterNetwork", range, "cidrBlocks", index);
      const cidr = parseCidr(block);
      if (!cidr.ok) {
        problems.push({ path, message: cidr.message });
        continue;
      }
      const earlier = seen.find((other) => cidrsOverlap(other.cidr, cidr.value));
      if (earlier)
        problems.push({ path, message: `${block} overlaps ${earlier.path} (${formatCidr(earlier.cidr)})` });
      seen.push({ cidr: cidr.value, path });
    }
  }
  const domain = cluster.spec.clusterNetwork?.serviceDomain;
  const domainProblem = domain === undefined || domain === "" ? undefined : checkDns1123Subdomain(domain);
  if (domainProblem) {
    problems.push({ path: "spec.clusterNetwork.serviceDomain", message: `not a DNS name: ${domainProblem}` });
  }
  return [...problems, ...checkClusterProviderSource(cluster.spec.providerSpec)];
}

function checkClusterProviderSource(providerSpec: ProviderSpec | undefined): PathError[] {
  const base = "spec.providerSpec";
  if (providerSpec?.valueFrom !== undefined) {
    return [
      { path: `${base}.valueFrom`, message: "not supported on a Cluster: put the provider spec in value" },
    ];
  }
  if (providerSpec?.value === undefined) {
    return [
      {
        path: `${base}.value`,
        message:
          "required: a Cluster needs its provider spec (AWSClusterProviderSpec or VsphereClusterProviderSpec)",
      },
    ];
  }
  const checked = checkClusterProviderSpec(providerSpec.value, `${base}.value`);
  return checked.ok ? [] : checked.errors;
}

function checkMachine(machine: Machine): PathError[] {
  const owner = clusterNameOf(machine);
  const labelProblems = "problem" in owner ? [owner.problem] : [];
  return [
    ...labelProblems,
    ...checkTaints(machine.spec.taints, "spec.taints"),
    ...checkMachineProviderSource(machine.spec.providerSpec, "spec.providerSpec"),
  ];
}

/** Taint keys are qualified names and values label values, as on a Node. */
function checkTaints(taints: Machine["spec"]["taints"], base: string): PathError[] {
  const problems: PathError[] = [];
  for (const [index, taint] of (taints ?? []).entries()) {
    const keyProblem = checkQualifiedName(taint.key);
    if (keyProblem) problems.push({ path: joinPath(base, index, "key"), message: keyProblem });
    const valueProblem = taint.value === undefined ? undefined : checkLabelValue(taint.value);
    if (valueProblem) problems.push({ path: joinPath(base, index, "value"), message: valueProblem });
  }
  return problems;
}

/** Exactly one of value and valueFrom.machineClass; an inline value must be a valid machine provider spec. */
export function checkMachineProviderSource(providerSpec: ProviderSpec, base: string): PathError[] {
  const hasValue = providerSpec.value !== undefined;
  const hasValueFrom = providerSpec.valueFrom !== undefined;
  if (hasValue && hasValueFrom) return [{ path: base, message: "set either value or valueFrom, not both" }];
  if (!hasValue && !hasValueFrom) {
    return [{ path: base, message: "required: set value (a provider spec) or valueFrom.machineClass" }];
  }
  if (hasValueFrom) {
    const ref = providerSpec.valueFrom?.machineClass;
    const refPath = joinPath(base, "valueFrom", "machineClass");
    if (ref === undefined) return [{ path: refPath, message: "required" }];
    if (ref.kind !== undefined && ref.kind !== "MachineClass") {
      return [{ path: joinPath(refPath, "kind"), message: `must be "MachineClass"` }];
    }
    return ref.name ? [] : [{ path: joinPath(refPath, "name"), message: "required" }];
  }
  const checked = checkMachineProviderSpec(providerSpec.value, joinPath(base, "value"));
  return checked.ok ? [] : checked.errors;
}

function checkMachineOwner(owner: MachineSet | MachineDeployment): PathError[] {
  const problems = checkSelector(owner.spec.selector, "spec.selector");
  const template = owner.spec.template;
  if (problems.length === 0) {
    const mismatch = explainMismatch(owner.spec.selector, template?.metadata?.labels ?? {});
    if (mismatch) {
      problems.push({
        path: "spec.template.metadata.labels",
        message: `do not match spec.selector: ${mismatch}`,
      });
    }
  }
  const cluster = clusterNameOf(owner);
  if ("problem" in cluster) problems.push(cluster.problem);
  if (owner.kind === "MachineDeployment") problems.push(...checkRollout(owner));
  if (template?.spec === undefined) {
    if ((owner.spec.replicas ?? 1) > 0)
      problems.push({ path: "spec.template.spec", message: "required to create Machines" });
    return problems;
  }
  return [
    ...problems,
    ...checkTaints(template.spec.taints, "spec.template.spec.taints"),
    ...checkMachineProviderSource(template.spec.providerSpec, "spec.template.spec.providerSpec"),
  ];
}

function checkMachineClass(machineClass: MachineClass): PathError[] {
  const located = classProviderSpec(machineClass);
  if (!located) {
    return [
      {
        path: "providerSpec",
        message: "set value (a provider spec), or write the provider spec here directly",
      },
    ];
  }
  const checked = checkMachineProviderSpec(located.value, located.path);
  return checked.ok ? [] : checked.errors;
}
