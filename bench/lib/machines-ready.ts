import { KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { execa } from "execa";
import type { Cluster } from "../../src/api/cluster.js";
import type { Machine } from "../../src/api/machine.js";
import { ApiClient } from "../../src/controllers/runtime/api-client.js";
import { SharedInformer } from "../../src/controllers/runtime/informer.js";
import { ClusterResource, MachineResource } from "../../src/controllers/shared/resources.js";
import { APPROVE_PLAN_ANNOTATION } from "../../src/plans/approval.js";

/**
 * Resolves once `expected` Machines exist and all are Ready, seen through a
 * watch (list + watch, as the controllers read; no polling load on the API
 * server, whose CPU the controller side is charged). Not `kubectl wait
 * --for=condition=Ready machines --all`: it checks the objects one after
 * another, which added ~3 s after the last status write at 30 Machines.
 * With `approve`, every plan held for review is approved as soon as it is
 * seen (a reviewer who answers at once), as `clusterform approve` would.
 */
export async function machinesReady(
  kubeconfigPath: string,
  expected: number,
  timeoutMs: number,
  options: { approve?: boolean } = {},
): Promise<void> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const client = new ApiClient(kubeConfig);
  const machines = new SharedInformer<Machine & KubernetesObject>(MachineResource, client);
  const clusters = new SharedInformer<Cluster & KubernetesObject>(ClusterResource, client);
  const approved = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`Machines not all Ready after ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const all = machines.list();
        if (all.length >= expected && all.every(isReady)) resolve();
      };
      machines.onChange(check);
      if (options.approve)
        clusters.onChange((cluster) => {
          approveHeld(kubeconfigPath, cluster, approved).catch(reject);
        });
      Promise.all([machines.start(), options.approve ? clusters.start() : undefined]).then(check, reject);
    });
  } finally {
    clearTimeout(timer);
    await Promise.all([machines.stop(), clusters.stop()]);
    client.close();
  }
}

function isReady(machine: Machine): boolean {
  return machine.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

async function approveHeld(kubeconfig: string, cluster: Cluster, approved: Set<string>): Promise<void> {
  const plan = cluster.status?.plan;
  const { name = "", namespace = "default" } = cluster.metadata ?? {};
  const key = `${namespace}/${name}/${plan?.id}`;
  if (plan?.state !== "Pending" || !plan.id || approved.has(key)) return;
  approved.add(key);
  await execa(
    "kubectl",
    ["annotate", "cluster", name, "-n", namespace, "--overwrite", `${APPROVE_PLAN_ANNOTATION}=${plan.id}`],
    { env: { ...process.env, KUBECONFIG: kubeconfig } },
  );
}
