/** Shared by the MachineSet/MachineDeployment e2e tests: manifests, Machine reads, and playing the infrastructure. */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Machine } from "../../src/api/machine.js";
import { MachineResource } from "../../src/controllers/shared/resources.js";
import type { TestControlPlane } from "../helpers/control-plane.js";

export const PROVIDER_SPEC = `{ value: { apiVersion: awsprovider/v1alpha1, kind: AWSMachineProviderSpec, instanceType: t3.micro } }`;

export type LiveMachine = Machine & KubernetesObject;

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
