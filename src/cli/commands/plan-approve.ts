import { Command } from "commander";
import { addKubeOptions, approvePlan, type KubeFlags, withClient } from "./plan-common.js";

/** `clusterform plan approve NAME [--id ID]`: annotates the Cluster with its pending plan's id. */
export function planApproveCommand(): Command {
  const command = new Command("approve")
    .description("approve the Cluster's pending plan (refused when none is pending or --id differs)")
    .argument("<name>", "the Cluster")
    .option("--id <id>", "the plan id you reviewed; refused unless it is still the pending one");
  return addKubeOptions(command).action(async (name: string, flags: KubeFlags & { id?: string }) =>
    withClient(flags, async (client, namespace) => {
      const id = await approvePlan(client, namespace, name, flags.id);
      process.stdout.write(`cluster.cluster.k8s.io/${name} plan ${id} approved\n`);
    }),
  );
}
