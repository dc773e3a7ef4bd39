import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { KubernetesObject } from "@kubernetes/client-node";
import { Command } from "commander";
import { KUBECONFIG_SECRET_KEY, kubeconfigSecretName } from "../../bootstrap/index.js";
import { SecretResource } from "../../controllers/runtime/resource.js";
import { clusterWorkDir } from "../../converge/options.js";
import { kubeconfigFile } from "../bootstrap/file-layout.js";
import { ExitCode, UsageError } from "../exit.js";
import { loadModels } from "../manifests.js";
import { addKubeOptions, getCluster, type KubeFlags, withClient } from "./plan-common.js";

interface KubeconfigFlags extends KubeFlags {
  file?: string[];
  stateDir?: string;
}

interface SecretLike extends KubernetesObject {
  data?: Record<string, string>;
}

/**
 * `clusterform kubeconfig NAME`: the workload cluster's admin kubeconfig, as
 * `clusterctl get kubeconfig`. With a management cluster (--kubeconfig) it
 * prints Secret `<cluster>-kubeconfig`'s `value`; in file mode (-f / --state-dir)
 * it prints the PATH of the 0600 file `apply` wrote, never its contents.
 */
export function kubeconfigCommand(): Command {
  const command = new Command("kubeconfig")
    .description("print a Cluster's admin kubeconfig (file mode: the path of the 0600 file apply wrote)")
    .argument("<name>", "the Cluster")
    .option("-f, --file <path...>", "file mode: the manifests `apply` used (finds the Cluster's namespace)")
    .option("--state-dir <dir>", "file mode: the state directory `apply` used (default .clusterform)");
  return addKubeOptions(command).action(async (name: string, flags: KubeconfigFlags) => {
    if (flags.file || flags.stateDir) {
      process.stdout.write(`${await kubeconfigPathInFileMode(name, flags)}\n`);
      return;
    }
    process.stdout.write(await kubeconfigFromSecret(name, flags));
  });
}

async function kubeconfigFromSecret(name: string, flags: KubeFlags): Promise<string> {
  return withClient(flags, async (client, namespace) => {
    await getCluster(client, namespace, name);
    const secretName = kubeconfigSecretName(name);
    const secret = await client.find<SecretLike>(SecretResource, namespace, secretName);
    const value = secret?.data?.[KUBECONFIG_SECRET_KEY];
    if (!value) {
      throw new UsageError(
        `Cluster ${namespace}/${name} is not bootstrapped yet: Secret ${namespace}/${secretName} (key ${KUBECONFIG_SECRET_KEY}) does not exist. ` +
          `The controller writes it once the cluster's API endpoint is known; see "clusterform status ${name}" for what it waits on.`,
        ExitCode.Failed,
      );
    }
    return Buffer.from(value, "base64").toString("utf8");
  });
}

async function kubeconfigPathInFileMode(name: string, flags: KubeconfigFlags): Promise<string> {
  const namespace = flags.file ? await namespaceFromManifests(name, flags) : (flags.namespace ?? "default");
  const stateDir = resolve(flags.stateDir ?? ".clusterform");
  const path = kubeconfigFile(clusterWorkDir(stateDir, { namespace, name }));
  const found = await stat(path).catch(() => undefined);
  if (!found?.isFile()) {
    const files = flags.file ? flags.file.join(" ") : "FILES";
    throw new UsageError(
      `Cluster ${namespace}/${name} is not bootstrapped yet: ${path} does not exist. ` +
        `Run "clusterform apply -f ${files}${flags.stateDir ? ` --state-dir ${flags.stateDir}` : ""}": it writes the kubeconfig once the cluster's API endpoint exists.`,
      ExitCode.Failed,
    );
  }
  return path;
}

/** The namespace of Cluster NAME in the manifests (-n narrows it when the name is in several). */
async function namespaceFromManifests(name: string, flags: KubeconfigFlags): Promise<string> {
  const models = await loadModels(flags.file ?? []);
  const matches = models.filter(
    (m) => m.name === name && (flags.namespace === undefined || m.namespace === flags.namespace),
  );
  const only = matches[0];
  if (matches.length === 1 && only) return only.namespace;
  const where = flags.namespace ? ` in namespace ${flags.namespace}` : "";
  if (matches.length === 0)
    throw new UsageError(
      `Cluster ${name} not found${where} in ${(flags.file ?? []).join(", ")}`,
      ExitCode.Invalid,
    );
  throw new UsageError(
    `Cluster ${name} exists in namespaces ${matches.map((m) => m.namespace).join(", ")}: pick one with -n`,
    ExitCode.Invalid,
  );
}
