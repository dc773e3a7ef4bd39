import type { Cluster } from "../api/cluster.js";
import { ConditionType, findCondition } from "../api/conditions.js";
import type { Machine } from "../api/machine.js";
import type { MachineDeployment, MachineSet } from "../api/machine-set.js";
import type { Condition } from "../api/meta.js";
import { approveCommand } from "./approval.js";

/**
 * `clusterform status NAME`: a `clusterctl describe`-style tree of one
 * Cluster, its MachineDeployments, MachineSets and Machines (grouped by phase
 * and readiness, so a hundred healthy Machines take one line), the pending
 * plan and the last drift check. Pure: the command reads, this renders.
 */

export interface StatusTreeInput {
  cluster: Cluster;
  deployments: MachineDeployment[];
  sets: MachineSet[];
  machines: Machine[];
}

interface Row {
  label: string;
  ready: string;
  message: string;
}

interface Node extends Row {
  children: Node[];
}

export function renderStatusTree(input: StatusTreeInput): string {
  const root = clusterNode(input);
  const rows: Row[] = [];
  flatten(root, "", "", rows);
  const header = { label: "NAME", ready: "READY", message: "MESSAGE" };
  const width = Math.max(...[header, ...rows].map((r) => r.label.length)) + 2;
  const readyWidth = Math.max(...[header, ...rows].map((r) => r.ready.length)) + 2;
  return `${[header, ...rows]
    .map((r) => `${r.label.padEnd(width)}${r.ready.padEnd(readyWidth)}${r.message}`.trimEnd())
    .join("\n")}\n`;
}

function clusterNode(input: StatusTreeInput): Node {
  const { cluster } = input;
  const status = cluster.status ?? {};
  const ready = findCondition(status.conditions, ConditionType.Ready);
  const children: Node[] = [];
  const plan = planNode(cluster);
  if (plan) children.push(plan);
  const drift = driftNode(cluster);
  if (drift) children.push(drift);
  const setsByOwner = groupBy(input.sets, (s) => ownerName(s, "MachineDeployment"));
  const machinesByOwner = groupBy(input.machines, (m) => ownerName(m, "MachineSet"));
  const setNode = (set: MachineSet): Node => ({
    label: `MachineSet/${set.metadata.name}`,
    ready: `${set.status?.readyReplicas ?? 0}/${set.spec.replicas ?? 1}`,
    message: set.status?.errorMessage ?? "",
    children: machineGroups(machinesByOwner.get(set.metadata.name ?? "") ?? []),
  });
  for (const deployment of input.deployments) {
    children.push({
      label: `MachineDeployment/${deployment.metadata.name}`,
      ready: `${deployment.status?.readyReplicas ?? 0}/${deployment.spec.replicas ?? 1}`,
      message: deployment.spec.paused ? "paused" : "",
      children: (setsByOwner.get(deployment.metadata.name ?? "") ?? []).map(setNode),
    });
  }
  const deploymentNames = new Set(input.deployments.map((d) => d.metadata.name));
  for (const set of input.sets.filter((s) => !deploymentNames.has(ownerName(s, "MachineDeployment"))))
    children.push(setNode(set));
  const setNames = new Set(input.sets.map((s) => s.metadata.name));
  const loose = input.machines.filter((m) => !setNames.has(ownerName(m, "MachineSet")));
  if (loose.length > 0) {
    children.push({ label: "Machines", ready: "", message: "", children: machineGroups(loose) });
  }
  return {
    label: `Cluster/${cluster.metadata.name}`,
    ready: ready?.status ?? "Unknown",
    message: [status.phase, conditionText(ready), status.errorMessage].filter(Boolean).join(": "),
    children,
  };
}

function planNode(cluster: Cluster): Node | undefined {
  const plan = cluster.status?.plan;
  if (!plan) return undefined;
  const counts = `${plan.add} to add, ${plan.change} to change, ${plan.destroy} to destroy${plan.replace ? ` (${plan.replace} replaced)` : ""}`;
  const pending = plan.state === "Pending";
  const next = pending
    ? `; review: clusterform plan show ${cluster.metadata.name}; approve: ${approveCommand(cluster.metadata.namespace ?? "default", cluster.metadata.name ?? "", plan.id)}`
    : "";
  return { label: `Plan ${plan.id}`, ready: plan.state, message: `${counts}${next}`, children: [] };
}

function driftNode(cluster: Cluster): Node | undefined {
  const drifted = findCondition(cluster.status?.conditions, ConditionType.Drifted);
  const checked = cluster.status?.lastDriftCheck;
  if (!drifted && !checked) return undefined;
  const when = checked ? `checked ${checked}` : "not checked yet";
  const what = drifted?.status === "True" ? (drifted.message ?? "") : "no drift";
  return {
    label: "Drift",
    ready: drifted?.status === "True" ? "Drifted" : "InSync",
    message: `${when}: ${what}`,
    children: [],
  };
}

/** Machines grouped by phase and readiness: "Running (3)  True  m1, m2, m3". */
function machineGroups(machines: Machine[]): Node[] {
  const groups = groupBy(machines, (m) => {
    const ready = findCondition(m.status?.conditions, ConditionType.Ready);
    return `${m.status?.phase ?? "Pending"}|${ready?.status ?? "Unknown"}`;
  });
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, members]) => {
      const [phase, ready] = key.split("|");
      const names = members.map((m) => m.metadata.name ?? "").sort();
      const reasons = [
        ...new Set(
          members
            .map((m) => m.status?.errorMessage ?? conditionText(findCondition(m.status?.conditions, "Ready")))
            .filter((text): text is string => Boolean(text)),
        ),
      ];
      const shown =
        names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", ");
      return {
        label: `${phase} (${members.length})`,
        ready: ready ?? "Unknown",
        message: [shown, ready === "True" ? undefined : reasons[0]].filter(Boolean).join(": "),
        children: nodeRows(members),
      };
    });
}

/**
 * Each Machine's Node and its readiness (from nodeRef and NodeHealthy, set
 * when the workload cluster is read: docs/workload.md); a count for big groups.
 */
function nodeRows(machines: Machine[]): Node[] {
  const read = machines.filter((m) => findCondition(m.status?.conditions, ConditionType.NodeHealthy));
  if (read.length === 0) return [];
  if (read.length > 10) {
    const registered = read.filter((m) => m.status?.nodeRef).length;
    const ready = read.filter(
      (m) => findCondition(m.status?.conditions, ConditionType.NodeHealthy)?.status === "True",
    ).length;
    return [{ label: "Nodes", ready: "", message: `${registered} registered, ${ready} Ready`, children: [] }];
  }
  return read
    .map((machine) => {
      const healthy = findCondition(machine.status?.conditions, ConditionType.NodeHealthy);
      const node = (machine.status?.nodeRef as { name?: string } | undefined)?.name;
      return {
        label: `${machine.metadata.name}: ${node ? `Node/${node}` : "no Node"}`,
        ready: healthy?.status ?? "Unknown",
        message: healthy?.status === "True" ? "" : (conditionText(healthy) ?? ""),
        children: [],
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}

function conditionText(condition: Condition | undefined): string | undefined {
  if (!condition || condition.status === "True") return undefined;
  return [condition.reason, condition.message].filter(Boolean).join(" ");
}

function ownerName(
  object: { metadata: { ownerReferences?: { kind: string; name: string }[] } },
  kind: string,
) {
  return object.metadata.ownerReferences?.find((o) => o.kind === kind)?.name ?? "";
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

function flatten(node: Node, prefix: string, childPrefix: string, rows: Row[]): void {
  rows.push({ label: `${prefix}${node.label}`, ready: node.ready, message: node.message });
  node.children.forEach((child, index) => {
    const last = index === node.children.length - 1;
    flatten(child, `${childPrefix}${last ? "└─" : "├─"}`, `${childPrefix}${last ? "  " : "│ "}`, rows);
  });
}
