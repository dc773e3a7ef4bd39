import { isRecord } from "./field-error.js";
import { joinPath, type PathError } from "./field-path.js";
import { CLUSTER_NAME_LABEL } from "./meta.js";

export const CLUSTER_LABEL_PATH = joinPath("metadata", "labels", CLUSTER_NAME_LABEL);

export type ClusterNameOf = { name: string } | { problem: PathError } | { none: true };

/**
 * The Cluster an object belongs to: a Cluster itself; a Machine by its
 * cluster label; a MachineSet or MachineDeployment by the label on itself, on
 * its template or in its selector (these must agree). MachineClasses belong to
 * no Cluster. Reads untrusted input without throwing.
 */
export function clusterNameOf(object: unknown): ClusterNameOf {
  const record = isRecord(object) ? object : {};
  const metadata = isRecord(record.metadata) ? record.metadata : {};
  switch (record.kind) {
    case "Cluster":
      return typeof metadata.name === "string" ? { name: metadata.name } : { none: true };
    case "Machine": {
      const name = labelOf(metadata);
      if (name !== undefined) return { name };
      return { problem: { path: CLUSTER_LABEL_PATH, message: "required: name the Machine's Cluster" } };
    }
    case "MachineSet":
    case "MachineDeployment":
      return ownerClusterName(record);
    default:
      return { none: true };
  }
}

function ownerClusterName(owner: Record<string, unknown>): ClusterNameOf {
  const spec = isRecord(owner.spec) ? owner.spec : {};
  const template = isRecord(spec.template) ? spec.template : {};
  const selector = isRecord(spec.selector) ? spec.selector : {};
  const candidates: [string, string | undefined][] = [
    [CLUSTER_LABEL_PATH, labelOf(owner.metadata)],
    [joinPath("spec.template.metadata", "labels", CLUSTER_NAME_LABEL), labelOf(template.metadata)],
    [joinPath("spec", "selector", "matchLabels", CLUSTER_NAME_LABEL), labelIn(selector.matchLabels)],
  ];
  const found = candidates.filter((candidate): candidate is [string, string] => candidate[1] !== undefined);
  const [first] = found;
  if (!first) {
    return {
      problem: {
        path: CLUSTER_LABEL_PATH,
        message: `required: name the ${owner.kind}'s Cluster (on it, its template or its selector)`,
      },
    };
  }
  const conflict = found.find(([, name]) => name !== first[1]);
  if (conflict) {
    return {
      problem: { path: conflict[0], message: `"${conflict[1]}" disagrees with ${first[0]}="${first[1]}"` },
    };
  }
  return { name: first[1] };
}

function labelOf(metadata: unknown): string | undefined {
  return isRecord(metadata) ? labelIn(metadata.labels) : undefined;
}

function labelIn(labels: unknown): string | undefined {
  const value = isRecord(labels) ? labels[CLUSTER_NAME_LABEL] : undefined;
  return typeof value === "string" && value !== "" ? value : undefined;
}
