/**
 * What the controllers saw of a Cluster's workload API (docs/workload.md):
 * the observation the status functions in node-status.ts are fed with.
 * Undefined for a Cluster with no workload kubeconfig: its Machines' phases
 * then depend on their instances alone, as before bootstrap.
 */
export interface WorkloadObservation {
  /** connecting: no answer yet; reachable: the Node list is current; unreachable: `error` says why. */
  api: "connecting" | "reachable" | "unreachable";
  /** The API server address tried (from the kubeconfig). */
  address: string;
  error?: string;
  /** Registered Nodes by providerIDKey(spec.providerID) (the last known list while unreachable). */
  nodes: ReadonlyMap<string, NodeSummary>;
}

export interface NodeSummary {
  name: string;
  uid?: string;
  /** The Node's Ready condition; Unknown when the kubelet never posted one. */
  ready: { status: "True" | "False" | "Unknown"; reason?: string; message?: string };
  unschedulable: boolean;
}

interface NodeLike {
  metadata?: { name?: string; uid?: string };
  spec?: { providerID?: string; unschedulable?: boolean };
  status?: { conditions?: { type?: string; status?: string; reason?: string; message?: string }[] };
}

/**
 * The part of a providerID that names the machine: the scheme and the last
 * path segment. clusterform writes AWS ids as `aws:////i-…`; the AWS cloud
 * provider writes the Node's as `aws:///<zone>/i-…` — the same instance.
 * `nodes` maps are keyed by it; look Machines up through it too.
 */
export function providerIDKey(providerID: string): string {
  const scheme = providerID.split("://")[0] ?? "";
  const last =
    providerID
      .split("/")
      .filter((part) => part !== "")
      .pop() ?? "";
  return `${scheme}://${last}`;
}

/** A Node as the status functions see it; undefined for a Node without providerID (nothing to match). */
export function summarizeNode(node: NodeLike): { providerID: string; summary: NodeSummary } | undefined {
  const providerID = node.spec?.providerID;
  const name = node.metadata?.name;
  if (!providerID || !name) return undefined;
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  const status = ready?.status === "True" || ready?.status === "False" ? ready.status : "Unknown";
  return {
    providerID: providerIDKey(providerID),
    summary: {
      name,
      ...(node.metadata?.uid ? { uid: node.metadata.uid } : {}),
      ready: {
        status,
        ...(ready?.reason ? { reason: ready.reason } : {}),
        ...(ready?.message ? { message: ready.message } : {}),
      },
      unschedulable: node.spec?.unschedulable === true,
    },
  };
}
