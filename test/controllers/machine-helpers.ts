/** Shared by the MachineSet/MachineDeployment e2e tests: manifests, Machine reads, and playing the infrastructure. */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Machine } from "../../src/api/machine.js";
import { type Controller, Manager } from "../../src/controllers/runtime/index.js";
import { MachineResource } from "../../src/controllers/shared/resources.js";
import { startTestControlPlane, type TestControlPlane } from "../helpers/control-plane.js";

export const PROVIDER_SPEC = `{ value: { apiVersion: awsprovider/v1alpha1, kind: AWSMachineProviderSpec, instanceType: t3.micro } }`;

export type LiveMachine = Machine & KubernetesObject;

/** A fresh embedded control plane and a Manager running the given controllers (no Terraform, no leader election). */
export async function startControlPlaneWith(
  controllers: (manager: Manager) => Controller[],
): Promise<{ cp: TestControlPlane; stop: () => Promise<void> }> {
  const cp = await startTestControlPlane();
  const manager = new Manager({
    kubeConfig: cp.kubeConfig,
    leaderElection: false,
    shutdown: { gracePeriodMs: 2_000 },
  });
  for (const controller of controllers(manager)) manager.add(controller);
  await manager.start();
  return {
    cp,
    stop: async () => {
      await manager.stop();
      await cp.stop();
    },
  };
}

export async function machinesOf(cp: TestControlPlane, labelSelector: string): Promise<LiveMachine[]> {
  const list = await cp.client.list<LiveMachine>(MachineResource, "default", { labelSelector });
  return list.items;
}

/** Machines not being deleted. */
export async function liveMachinesOf(cp: TestControlPlane, labelSelector: string): Promise<LiveMachine[]> {
  return (await machinesOf(cp, labelSelector)).filter((m) => !m.metadata.deletionTimestamp);
}

/** Plays the infrastructure: sets the Machine's Ready condition like the cluster reconciler would. */
export async function markReady(cp: TestControlPlane, name: string): Promise<void> {
  await cp.client.patch(
    MachineResource,
    "default",
    name,
    "merge",
    {
      status: {
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: "InstanceRunning",
            lastTransitionTime: new Date().toISOString(),
          },
        ],
      },
    },
    "status",
  );
}
