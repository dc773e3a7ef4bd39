/** Shared by the control-plane e2e tests: a fresh server in a temp dir and a kubectl bound to it. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { type ControlPlane, startControlPlane } from "../../src/control-plane/index.js";

export const fixtures = join(import.meta.dirname, "fixtures");
export const repoRoot = join(import.meta.dirname, "..", "..");

export interface TestServer {
  controlPlane: ControlPlane;
  dir: string;
  kubeconfig: string;
  kubectl(args: string[], input?: string): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  stop(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "cf-cp-"));
  const kubeconfig = join(dir, "kubeconfig");
  const controlPlane = await startControlPlane({ dataDir: join(dir, "data"), kubeconfigOut: kubeconfig });
  return {
    controlPlane,
    dir,
    kubeconfig,
    async kubectl(args, input) {
      const result = await execa("kubectl", args, {
        input,
        reject: false,
        timeout: 60_000,
        // HOME keeps kubectl's discovery/OpenAPI cache private to this server.
        env: { KUBECONFIG: kubeconfig, HOME: dir, KUBECACHEDIR: join(dir, "cache") },
      });
      return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
    },
    async stop() {
      await controlPlane.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
