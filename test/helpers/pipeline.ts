import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { sandboxAwsEnv } from "../../src/sandbox/moto.js";
import { listMirrorProviders, renderCliConfig } from "../../src/terraform/mirror.js";

/**
 * Plain Terraform as an existing pipeline runs it in `dir` (no clusterform
 * code): its own CLI config for the provider mirror (written to `work`) and
 * the emulator's credentials. Returns a runner that never throws on exit codes.
 */
export async function pipelineTerraform(options: {
  work: string;
  dir: string;
  endpoint: string;
  providerMirror: string;
  terraformBin: string;
}) {
  const cliConfig = join(options.work, "pipeline.tfrc");
  await writeFile(
    cliConfig,
    renderCliConfig(options.providerMirror, listMirrorProviders(options.providerMirror)),
  );
  const env = {
    ...sandboxAwsEnv(options.endpoint),
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
  };
  return (args: string[]) => execa(options.terraformBin, args, { cwd: options.dir, env, reject: false });
}
