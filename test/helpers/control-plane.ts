/**
 * A fresh embedded control plane for controller tests: started in-process in a
 * temp dir, with the project's CRDs applied, a client-node KubeConfig and a
 * kubectl bound to it.
 *
 *   const cp = await startTestControlPlane();
 *   const manager = new Manager({ kubeConfig: cp.kubeConfig, leaderElection: false });
 *   await cp.kubectl(["apply", "-f", "-"], yaml);
 *   await cp.stop();
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { execa } from "execa";
import { crdManifests } from "../../src/api/crds.js";
import { type ControlPlane, startControlPlane } from "../../src/control-plane/index.js";
import { ApiClient } from "../../src/controllers/runtime/api-client.js";
import type { ResourceRef } from "../../src/controllers/runtime/resource.js";

export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface TestControlPlane {
  controlPlane: ControlPlane;
  /** A temp dir owned by this control plane (removed by stop). */
  dir: string;
  kubeconfigPath: string;
  /** A fresh KubeConfig per call, so tests can hand separate ones to separate managers. */
  kubeConfig: KubeConfig;
  client: ApiClient;
  /** Runs kubectl against this control plane; never throws on a non-zero exit (check exitCode). */
  kubectl(args: readonly string[], input?: string): Promise<KubectlResult>;
  /** Like kubectl, but throws with stderr when the command fails. */
  kubectlOk(args: readonly string[], input?: string): Promise<string>;
  stop(): Promise<void>;
}

const CRD_RESOURCE: ResourceRef = {
  group: "apiextensions.k8s.io",
  version: "v1",
  plural: "customresourcedefinitions",
  kind: "CustomResourceDefinition",
  namespaced: false,
};

export function loadKubeConfig(path: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(path);
  return kubeConfig;
}

export async function startTestControlPlane(): Promise<TestControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), "cf-ctrl-"));
  const kubeconfigPath = join(dir, "kubeconfig");
  const controlPlane = await startControlPlane({
    dataDir: join(dir, "data"),
    listen: "127.0.0.1:0",
    kubeconfigOut: kubeconfigPath,
  });
  const kubeConfig = loadKubeConfig(kubeconfigPath);
  const client = new ApiClient(kubeConfig);
  for (const crd of crdManifests()) await client.create(CRD_RESOURCE, undefined, crd as never);

  const kubectl = async (args: readonly string[], input?: string): Promise<KubectlResult> => {
    const result = await execa("kubectl", [...args], {
      input,
      reject: false,
      timeout: 60_000,
      // A private HOME/cache keeps kubectl's discovery cache from leaking between servers.
      env: { KUBECONFIG: kubeconfigPath, HOME: dir, KUBECACHEDIR: join(dir, "cache") },
    });
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
  };

  return {
    controlPlane,
    dir,
    kubeconfigPath,
    kubeConfig,
    client,
    kubectl,
    async kubectlOk(args, input) {
      const result = await kubectl(args, input);
      if (result.exitCode !== 0) {
        throw new Error(`kubectl ${args.join(" ")} failed (${result.exitCode}): ${result.stderr}`);
      }
      return result.stdout;
    },
    async stop() {
      client.close();
      await controlPlane.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The first poll interval of `eventually`, and the longest it backs off to. */
const FIRST_POLL_MS = 50;
const LONGEST_POLL_MS = 1_000;

/**
 * Polls `check` until it returns a truthy value (returned) or the timeout passes (throws naming `what`).
 * The interval grows from 50 ms to 1 s: a quick condition is still seen at once, while a wait on
 * Terraform (minutes) does not start a kubectl or an emulator query every 50 ms, taking CPU from
 * the very runs it waits for.
 */
export async function eventually<T>(
  check: () => Promise<T> | T,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  let pollMs = FIRST_POLL_MS;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(deadline - Date.now(), 1))));
    pollMs = Math.min(pollMs * 1.5, LONGEST_POLL_MS);
  }
}
