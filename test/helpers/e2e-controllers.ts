import { inject } from "vitest";
import { liveInstances, type SandboxInstance } from "../../src/sandbox/ec2.js";
import { startTestControlPlane, type TestControlPlane } from "./control-plane.js";
import { type ControllerHarness, type ControllerHarnessOptions, startControllers } from "./controllers.js";

// The preamble the controller e2e tests share: one embedded control plane, a
// namespace, and the controllers converging into the run's AWS emulator.

export interface ControlPlaneAndControllers {
  cp: TestControlPlane;
  controllers: ControllerHarness;
  /** Stops the controllers, then the control plane. */
  stop(): Promise<void>;
}

/**
 * A fresh control plane with `namespace` created and the controllers started
 * on it, converging into the emulator of the run (endpoint and provider mirror
 * from the global setup).
 */
export async function startControlPlaneAndControllers(
  namespace: string,
  options: Omit<ControllerHarnessOptions, "cp" | "namespace" | "endpoint" | "providerMirror"> = {},
): Promise<ControlPlaneAndControllers> {
  const cp = await startTestControlPlane();
  try {
    await cp.kubectlOk(["create", "namespace", namespace]);
    const controllers = await startControllers({
      ...options,
      cp,
      namespace,
      endpoint: inject("awsEndpoint"),
      providerMirror: inject("providerMirror"),
    });
    return {
      cp,
      controllers,
      stop: async () => {
        await controllers.stop();
        await cp.stop();
      },
    };
  } catch (error) {
    await cp.stop();
    throw error;
  }
}

/** The live (not terminated) instances the emulator holds for Cluster `namespace/name`. */
export function clusterInstances(namespace: string, name: string): Promise<SandboxInstance[]> {
  return liveInstances(inject("awsEndpoint"), { "tag:clusterform.io/cluster": `${namespace}/${name}` });
}
