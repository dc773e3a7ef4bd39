/**
 * The controller's container from the generated Deployment
 * (clusterform-components.yaml, parsed, not retyped), turned into a local
 * command line: each path of the image is mapped to a local one explicitly,
 * and what a pod gets from Kubernetes (the in-cluster config) is replaced by
 * a kubeconfig. Anything else in the args or env is passed as it is.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { COMPONENTS_FILE, parseComponents } from "../../src/deploy/components.js";
import { IMAGE_PATHS } from "../../src/deploy/layout.js";
import { REPO_ROOT } from "./cli.js";

export interface Container {
  command: string[];
  args: string[];
  env: { name: string; value?: string }[];
}

export function deploymentContainer(): Container {
  const text = readFileSync(resolve(REPO_ROOT, COMPONENTS_FILE), "utf8");
  const deployment = parseComponents(text).find((object) => object.kind === "Deployment") as unknown as {
    spec: { template: { spec: { containers: Container[] } } };
  };
  const container = deployment.spec.template.spec.containers[0];
  if (!container) throw new Error(`${COMPONENTS_FILE} has no Deployment container`);
  return container;
}

export interface LocalPaths {
  stateDir: string;
  providerMirror: string;
  tmp: string;
  kubeconfig: string;
  /** host:port for the image's :<port> bind addresses, by port. */
  bind: Record<string, string>;
}

/** Replaces every image path and bind address in one argument by its local counterpart. */
function mapArgument(arg: string, local: LocalPaths): string {
  let mapped = arg
    .replace(IMAGE_PATHS.stateDir, local.stateDir)
    .replace(IMAGE_PATHS.providerMirror, local.providerMirror);
  for (const [port, address] of Object.entries(local.bind))
    mapped = mapped.replace(`=:${port}`, `=${address}`);
  return mapped;
}

/** [executable, ...arguments] and the environment of the container, run from source. */
export function localCommand(
  container: Container,
  local: LocalPaths,
): { file: string; args: string[]; env: Record<string, string> } {
  const [node, cli, ...rest] = container.command;
  if (node !== "node" || cli !== IMAGE_PATHS.cli)
    throw new Error(`unexpected container command ${container.command.join(" ")}: update the mapping`);
  const env: Record<string, string> = {};
  for (const { name, value = "" } of container.env) {
    if (name === "KUBE_IN_CLUSTER_CONFIG") {
      // No pod here: the controller and Terraform's kubernetes backend read a kubeconfig instead.
      env.KUBECONFIG = local.kubeconfig;
      env.KUBE_CONFIG_PATH = local.kubeconfig;
    } else env[name] = value === IMAGE_PATHS.tmp ? local.tmp : value;
  }
  return {
    file: process.execPath,
    args: [
      "--import",
      "tsx",
      resolve(REPO_ROOT, "src/cli/main.ts"),
      ...rest,
      ...container.args.map((arg) => mapArgument(arg, local)),
    ],
    env,
  };
}
