import { Command } from "commander";
import type { Machine } from "../../api/machine.js";
import type { MachineDeployment, MachineSet } from "../../api/machine-set.js";
import {
  MachineDeploymentResource,
  MachineResource,
  MachineSetResource,
} from "../../controllers/shared/resources.js";
import { renderStatusTree } from "../../plans/status-tree.js";
import { addKubeOptions, getCluster, type KubeFlags, listForCluster, withClient } from "./plan-common.js";

/** `clusterform status NAME`: the Cluster as a tree, like `clusterctl describe cluster`. */
export function statusCommand(): Command {
  const command = new Command("status")
    .description("show a Cluster, its MachineDeployments, MachineSets and Machines, pending plan and drift")
    .argument("<name>", "the Cluster");
  return addKubeOptions(command).action(async (name: string, flags: KubeFlags) =>
    withClient(flags, async (client, namespace) => {
      const cluster = await getCluster(client, namespace, name);
      const [deployments, sets, machines] = await Promise.all([
        listForCluster<MachineDeployment>(client, MachineDeploymentResource, namespace, name),
        listForCluster<MachineSet>(client, MachineSetResource, namespace, name),
        listForCluster<Machine>(client, MachineResource, namespace, name),
      ]);
      process.stdout.write(renderStatusTree({ cluster, deployments, sets, machines }));
    }),
  );
}
