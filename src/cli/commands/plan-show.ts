import { Command } from "commander";
import { colourPlanText } from "../../plans/render.js";
import { addKubeOptions, type KubeFlags, readPlan, withClient } from "./plan-common.js";

/** `clusterform plan show NAME`: the Cluster's redacted plan text, coloured on a terminal. */
export function planShowCommand(): Command {
  const command = new Command("show")
    .description("print the Cluster's latest plan (redacted), as stored in ConfigMap NAME-plan")
    .argument("<name>", "the Cluster");
  return addKubeOptions(command).action(async (name: string, flags: KubeFlags) =>
    withClient(flags, async (client, namespace) => {
      const { cluster, id, text } = await readPlan(client, namespace, name);
      const plan = cluster.status?.plan;
      const state = plan?.id === id ? plan.state : "Superseded";
      process.stdout.write(`Plan ${id} for Cluster ${namespace}/${name} (${state})\n\n`);
      process.stdout.write(process.stdout.isTTY ? colourPlanText(text) : text);
      if (!text.endsWith("\n")) process.stdout.write("\n");
    }),
  );
}
