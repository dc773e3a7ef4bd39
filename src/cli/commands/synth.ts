import { resolve } from "node:path";
import { Command } from "commander";
import { synthesizeStack } from "../../../stacks/index.js";
import { writeClusterExport } from "../../converge/export.js";
import { clusterLabel } from "../../converge/options.js";
import { addManifestOption } from "../common-options.js";
import { loadModels } from "../manifests.js";
import { withRecordedOrphans } from "../orphan-record.js";

interface SynthFlags {
  file: string[];
  out: string;
  awsEndpoint?: string;
  stateDir?: string;
}

/** `clusterform synth`: manifests to cdk.tf.json per cluster. No Terraform, no network. */
export function synthCommand(): Command {
  const command = new Command("synth")
    .description(
      "write DIR/<namespace>/<cluster>/cdk.tf.json and README.md for every Cluster (no Terraform, no network)",
    )
    .option("-o, --out <dir>", "output directory", "cdktf.out/stacks")
    .option("--aws-endpoint <url>", "point AWS stacks at this endpoint (an emulator or AWS-compatible API)")
    .option(
      "--state-dir <dir>",
      "clusterform's state directory: Machines it recorded as on-delete: orphan that left the files are forgotten in the export too",
    );
  return addManifestOption(command).action(async (flags: SynthFlags) => {
    const models = await loadModels(flags.file);
    for (const fromFiles of models) {
      const model = flags.stateDir
        ? await withRecordedOrphans(fromFiles, resolve(flags.stateDir))
        : fromFiles;
      const stackOptions = flags.awsEndpoint ? { awsEndpoint: flags.awsEndpoint } : {};
      const stack = synthesizeStack(model, stackOptions);
      // For a pipeline running this directory unchanged: what it is, how to run it, which env it needs.
      const file = await writeClusterExport(resolve(flags.out), { model, stack, stackOptions });
      process.stdout.write(`${clusterLabel(model)}: ${stack.summary} -> ${file}\n`);
    }
  });
}
