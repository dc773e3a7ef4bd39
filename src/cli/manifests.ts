import { formatFieldError } from "../api/field-error.js";
import { modelsFromManifests } from "../model/from-manifests.js";
import type { ClusterModel } from "../model/types.js";
import { recordedInitMachines } from "./bootstrap/file-store.js";
import { ExitCode, UsageError } from "./exit.js";

/**
 * Loads, validates and models the manifests. Any error anywhere stops the
 * command before anything runs: every error is listed, exit code 2.
 * `stateDir`: where file mode recorded each cluster's init machine.
 */
export async function loadModels(
  paths: readonly string[],
  options: { stateDir?: string } = {},
): Promise<ClusterModel[]> {
  const initMachines = options.stateDir ? await recordedInitMachines(options.stateDir) : new Map();
  const result = await modelsFromManifests(paths, { initMachines });
  if (result.allErrors.length > 0) {
    const lines = result.allErrors.map((e) => `  ${formatFieldError(e)}`);
    throw new UsageError(
      `invalid manifests (${result.allErrors.length} error${result.allErrors.length === 1 ? "" : "s"}); nothing was run:\n${lines.join("\n")}`,
      ExitCode.Invalid,
    );
  }
  if (result.models.length === 0) {
    throw new UsageError(`no Cluster found in ${paths.join(", ")}: nothing to do`, ExitCode.Invalid);
  }
  for (const model of result.models) {
    if (model.backend?.type === "s3" && model.backend.credentialsSecret)
      process.stderr.write(
        `note: Cluster ${model.namespace}/${model.name}: the backend credentials Secret ${model.backend.credentialsSecret} is read by the controller only; ` +
          "this command gives the s3 backend the AWS credentials of its environment (AWS_* or AWS_PROFILE)\n",
      );
  }
  return result.models;
}
