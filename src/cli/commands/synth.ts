import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { synthesizeStack } from "../../../stacks/index.js";
import { clusterLabel, clusterWorkDir } from "../../converge/options.js";
import { addManifestOption } from "../common-options.js";
import { loadModels } from "../manifests.js";

interface SynthFlags {
  file: string[];
  out: string;
  awsEndpoint?: string;
}

/** `clusterform synth`: manifests to cdk.tf.json per cluster. No Terraform, no network. */
export function synthCommand(): Command {
  const command = new Command("synth")
    .description("write DIR/<namespace>/<cluster>/cdk.tf.json for every Cluster (no Terraform, no network)")
    .option("-o, --out <dir>", "output directory", "cdktf.out/stacks")
    .option("--aws-endpoint <url>", "point AWS stacks at this endpoint (an emulator or AWS-compatible API)");
  return addManifestOption(command).action(async (flags: SynthFlags) => {
    const models = await loadModels(flags.file);
    for (const model of models) {
      const stack = synthesizeStack(model, flags.awsEndpoint ? { awsEndpoint: flags.awsEndpoint } : {});
      const dir = clusterWorkDir(resolve(flags.out), model);
      await mkdir(dir, { recursive: true });
      const file = join(dir, "cdk.tf.json");
      await writeFile(file, stack.json);
      process.stdout.write(`${clusterLabel(model)}: ${stack.summary} -> ${file}\n`);
    }
  });
}
