/**
 * `clusterform dev`: the embedded control plane, the CRDs and every
 * controller in one process; optionally the local AWS emulator and a
 * directory of manifests applied and watched until every Machine is Ready.
 */
import { spawnSync } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { KubernetesObject } from "@kubernetes/client-node";
import { Command } from "commander";
import { execa } from "execa";
import { parseAllDocuments } from "yaml";
import { isKindName, KINDS } from "../../api/kinds.js";
import { API_VERSION } from "../../api/meta.js";
import { startControlPlane } from "../../control-plane/index.js";
import { ApiClient } from "../../controllers/runtime/api-client.js";
import { objectPath } from "../../controllers/runtime/resource.js";
import {
  MachineDeploymentResource,
  MachineResource,
  MachineSetResource,
} from "../../controllers/shared/resources.js";
import { addTerraformOptions, type CommonFlags, convergeOptionsFrom } from "../common-options.js";
import {
  addObservabilityOptions,
  loggerFrom,
  type ObservabilityFlags,
  serveObservability,
} from "../observability.js";
import { Reporter } from "../reporter.js";
import { installCrds, loadKubeConfig } from "./install-crds.js";
import { addPolicyOptions, createControllerManager, type PolicyFlags, stopOnSignal } from "./run.js";

interface DevFlags extends Omit<CommonFlags, "file">, PolicyFlags, ObservabilityFlags {
  dataDir: string;
  kubeconfigOut?: string;
  listen: string;
  apply?: string;
}

export function devCommand(): Command {
  const command = new Command("dev")
    .description("embedded control plane + CRDs + controllers in one process (a local playground)")
    .option("--data-dir <dir>", "where the control plane stores objects", ".clusterform/dev")
    .option("--kubeconfig-out <file>", "where to write the kubeconfig (default: <data-dir>/kubeconfig)")
    .option("--listen <host:port>", "control plane address; port 0 picks a free port", "127.0.0.1:0")
    .option(
      "--apply <dir>",
      "apply the manifests in this directory and follow them until every Machine is Ready",
    );
  return addPolicyOptions(addTerraformOptions(addObservabilityOptions(command))).action(
    async (flags: DevFlags) => {
      const logger = loggerFrom(flags);
      const dataDir = await controlPlaneDataDir(flags);
      const kubeconfigOut = resolve(flags.kubeconfigOut ?? join(dataDir, "kubeconfig"));
      const reporter = new Reporter();
      const { options, close } = await convergeOptionsFrom({ ...flags, file: [] }, reporter);
      const controlPlane = await startControlPlane({
        listen: flags.listen,
        dataDir,
        kubeconfigOut,
      });
      const kubeConfig = loadKubeConfig(kubeconfigOut);
      const client = new ApiClient(kubeConfig);
      await installCrds(client);
      const manager = createControllerManager({
        kubeConfig,
        converge: options,
        maxConcurrentRuns: flags.maxConcurrentRuns,
        leaderElect: false,
        logger,
        policy: flags,
      });
      const closeEndpoints = await serveObservability(manager, flags, logger);
      const stopped = stopOnSignal(async () => {
        await manager.stop();
        await closeEndpoints();
        client.close();
        await controlPlane.stop();
        await close();
      }, logger);
      await manager.start();
      say(`control plane at ${controlPlane.url}; controllers running`);
      if (flags.apply) {
        await applyDirectory(client, kubeconfigOut, flags.apply);
        const ready = await Promise.race([followUntilReady(client), stopped.then(() => false)]);
        if (ready) await printSummary(kubeconfigOut);
      }
      say(`use it: KUBECONFIG=${kubeconfigOut} kubectl get clusters,machines -o wide`);
      say("Ctrl-C stops the controllers and the control plane");
      await stopped;
    },
  );
}

/**
 * With the sandbox, objects from an earlier session describe instances the
 * emulator has forgotten (and would look Ready at once): the sandbox gets a
 * control plane of its own, started empty, like its Terraform state.
 */
async function controlPlaneDataDir(flags: DevFlags): Promise<string> {
  if (!flags.awsSandbox) return flags.dataDir;
  const dir = join(flags.dataDir, "sandbox");
  await rm(dir, { recursive: true, force: true });
  say(`sandbox: the control plane starts empty in ${dir}`);
  return dir;
}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** kubectl when it is on PATH (what users will run themselves); else server-side apply through the API. */
async function applyDirectory(client: ApiClient, kubeconfig: string, dir: string): Promise<void> {
  if (hasKubectl()) {
    // Async: the control plane answering kubectl lives in this very process.
    const result = await execa("kubectl", ["apply", "-f", dir], {
      env: { KUBECONFIG: kubeconfig },
      reject: false,
    });
    process.stderr.write(`${result.stdout}\n${result.stderr}`);
    if (result.exitCode !== 0) throw new Error(`kubectl apply -f ${dir} failed (exit ${result.exitCode})`);
    return;
  }
  for (const object of await readManifests(dir)) {
    await serverSideApply(client, object);
    say(`${object.kind?.toLowerCase()}/${object.metadata?.name} applied`);
  }
}

function hasKubectl(): boolean {
  return spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;
}

async function readManifests(dir: string): Promise<KubernetesObject[]> {
  const files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  const objects: KubernetesObject[] = [];
  for (const file of files) {
    for (const document of parseAllDocuments(await readFile(join(dir, file), "utf8"))) {
      const object = document.toJS() as KubernetesObject | null;
      if (object) objects.push(object);
    }
  }
  return objects;
}

function serverSideApply(client: ApiClient, object: KubernetesObject): Promise<unknown> {
  const kind = object.kind;
  if (!isKindName(kind) || object.apiVersion !== API_VERSION)
    throw new Error(
      `${kind ?? "an object"} ${object.metadata?.name ?? ""}: only ${API_VERSION} kinds can be applied without kubectl`,
    );
  const namespace = object.metadata?.namespace ?? "default";
  const resource = {
    group: "cluster.k8s.io",
    version: "v1alpha1",
    plural: KINDS[kind].plural,
    kind,
    namespaced: true,
  };
  const path = objectPath(resource, namespace, object.metadata?.name ?? "");
  // JSON is YAML: one apply patch per object, owned by this field manager.
  return client.request("PATCH", path, {
    query: { fieldManager: "clusterform-dev", force: "true" },
    body: object,
    contentType: "application/apply-patch+yaml",
  });
}

interface MachineView extends KubernetesObject {
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

/** One line per Machine phase change, until every Machine is Ready. */
async function followUntilReady(client: ApiClient): Promise<boolean> {
  const seen = new Map<string, string>();
  for (;;) {
    const machines = (await client.list<MachineView>(MachineResource)).items;
    for (const machine of machines) {
      const name = `${machine.metadata?.namespace}/${machine.metadata?.name}`;
      const phase = machine.status?.phase ?? "Pending";
      if (seen.get(name) !== phase) say(`machine ${name}: ${phase}`);
      seen.set(name, phase);
    }
    const ready = machines.filter(
      (m) => m.status?.conditions?.find((c) => c.type === "Ready")?.status === "True",
    );
    if (machines.length > 0 && ready.length === machines.length && (await setsSettled(client))) {
      say(`all ${machines.length} machines are Ready`);
      return true;
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

interface ScalableView extends KubernetesObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; readyReplicas?: number };
}

/** Every MachineSet and MachineDeployment has all its replicas (its Machines exist, not just the ones seen so far). */
async function setsSettled(client: ApiClient): Promise<boolean> {
  for (const resource of [MachineSetResource, MachineDeploymentResource]) {
    for (const set of (await client.list<ScalableView>(resource)).items) {
      const wanted = set.spec?.replicas ?? 1;
      if ((set.status?.replicas ?? 0) !== wanted || (set.status?.readyReplicas ?? 0) !== wanted) return false;
    }
  }
  return true;
}

async function printSummary(kubeconfig: string): Promise<void> {
  if (!hasKubectl()) return;
  const result = await execa("kubectl", ["get", "clusters,machines", "-o", "wide"], {
    env: { KUBECONFIG: kubeconfig },
    reject: false,
  });
  process.stdout.write(`${result.stdout}\n`);
}
