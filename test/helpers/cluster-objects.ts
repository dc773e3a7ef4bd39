import type { TestControlPlane } from "./control-plane.js";

// Reading Clusters, Machines and Events back with kubectl, as a user would.

export interface ConditionJson {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface PlanJson {
  id: string;
  add: number;
  change: number;
  destroy: number;
  replace: number;
  state: string;
}

export interface ClusterJson {
  metadata: { name: string; annotations?: Record<string, string> };
  status?: {
    plan?: PlanJson;
    lastAppliedPlan?: string;
    lastDriftCheck?: string;
    conditions?: ConditionJson[];
  };
}

export interface MachineJson {
  metadata: { name: string; deletionTimestamp?: string };
  status?: {
    phase?: string;
    providerID?: string;
    providerStatus?: Record<string, string>;
    conditions?: ConditionJson[];
  };
}

export function conditionOf(
  object: { status?: { conditions?: ConditionJson[] } } | undefined,
  type: string,
): ConditionJson | undefined {
  return object?.status?.conditions?.find((c) => c.type === type);
}

/** kubectl reads of one namespace's clusterform objects. */
export function objectsIn(cp: TestControlPlane, namespace: string) {
  const getJson = async <T>(kind: string, name: string): Promise<T | undefined> => {
    const result = await cp.kubectl(["get", kind, name, "-n", namespace, "-o", "json"]);
    if (result.exitCode === 0) return JSON.parse(result.stdout) as T;
    if (/NotFound/.test(result.stderr)) return undefined;
    throw new Error(`kubectl get ${kind} ${name}: ${result.stderr}`);
  };
  return {
    cluster: (name: string) => getJson<ClusterJson>("cluster", name),
    /** undefined once the Machine is gone. */
    machine: (name: string) => getJson<MachineJson>("machine", name),
    /** Messages of the Events with this reason on the named object, oldest first. */
    async events(objectName: string, reason: string): Promise<string[]> {
      const out = await cp.kubectlOk([
        "get",
        "events",
        "-n",
        namespace,
        "--field-selector",
        `involvedObject.name=${objectName},reason=${reason}`,
        "-o",
        'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
      ]);
      return out.split("\n").filter(Boolean);
    },
  };
}
