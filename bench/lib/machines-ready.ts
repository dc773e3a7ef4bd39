import { CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { execa } from "execa";
import { APPROVE_PLAN_ANNOTATION } from "../../src/plans/approval.js";

// What the controller side waits for, read straight from the API server.

interface Condition {
  type: string;
  status: string;
}
interface Listed {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  status?: { conditions?: Condition[]; plan?: { id?: string; state?: string } };
}

const GROUP = { group: "cluster.k8s.io", version: "v1alpha1" };

/**
 * Resolves once `expected` Machines exist and all are Ready, read by listing
 * them every `everyMs` (the figure's resolution). Not `kubectl wait
 * --for=condition=Ready machines --all`: it checks the objects one after
 * another, which added ~3 s after the last status write at 30 Machines.
 * With `approve`, every plan held for review is approved as soon as it is
 * listed (a reviewer who answers at once), as `clusterform approve` would.
 */
export async function machinesReady(
  kubeconfigPath: string,
  expected: number,
  timeoutMs: number,
  options: { approve?: boolean; everyMs?: number } = {},
): Promise<void> {
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(kubeconfigPath);
  const api = kubeconfig.makeApiClient(CustomObjectsApi);
  const list = async (plural: string) =>
    ((await api.listClusterCustomObject({ ...GROUP, plural })) as { items: Listed[] }).items;
  const deadline = Date.now() + timeoutMs;
  const approved = new Set<string>();
  for (;;) {
    if (options.approve) await approveHeldPlans(kubeconfigPath, await list("clusters"), approved);
    const machines = await list("machines");
    const ready = machines.filter((m) =>
      m.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
    ).length;
    if (machines.length >= expected && ready === machines.length) return;
    if (Date.now() > deadline)
      throw new Error(`${ready} of ${expected} Machines Ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 200));
  }
}

async function approveHeldPlans(
  kubeconfig: string,
  clusters: Listed[],
  approved: Set<string>,
): Promise<void> {
  for (const cluster of clusters) {
    const id = cluster.status?.plan?.state === "Pending" ? cluster.status.plan.id : undefined;
    const { name = "", namespace = "default" } = cluster.metadata ?? {};
    if (!id || approved.has(`${namespace}/${name}/${id}`)) continue;
    approved.add(`${namespace}/${name}/${id}`);
    await execa(
      "kubectl",
      ["annotate", "cluster", name, "-n", namespace, "--overwrite", `${APPROVE_PLAN_ANNOTATION}=${id}`],
      { env: { ...process.env, KUBECONFIG: kubeconfig } },
    );
  }
}
