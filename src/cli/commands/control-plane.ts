/**
 * `clusterform control-plane`: runs the embedded Kubernetes-compatible API
 * server alone and writes a kubeconfig for it.
 */
import { join } from "node:path";
import { Command } from "commander";
import { startControlPlane } from "../../control-plane/index.js";

interface ControlPlaneFlags {
  listen: string;
  dataDir: string;
  kubeconfigOut?: string;
  token?: string;
}

export function controlPlaneCommand(): Command {
  return new Command("control-plane")
    .description(
      "Run the embedded Kubernetes-compatible API server (CRDs, Namespace, Secret, ConfigMap, Event, Lease)",
    )
    .option("--listen <host:port>", "address to listen on; port 0 picks a free port", "127.0.0.1:6443")
    .option("--data-dir <dir>", "where objects are stored", ".clusterform/control-plane")
    .option("--kubeconfig-out <file>", "where to write the kubeconfig (default: <data-dir>/kubeconfig)")
    .option(
      "--token <token>",
      "bearer token clients must present (default: CLUSTERFORM_CONTROL_PLANE_TOKEN or a random one)",
    )
    .action(async (flags: ControlPlaneFlags) => {
      const kubeconfigOut = flags.kubeconfigOut ?? join(flags.dataDir, "kubeconfig");
      const controlPlane = await startControlPlane({
        listen: flags.listen,
        dataDir: flags.dataDir,
        token: flags.token ?? process.env.CLUSTERFORM_CONTROL_PLANE_TOKEN,
        kubeconfigOut,
      });
      process.stdout.write(
        `control plane listening on ${controlPlane.url}\nkubeconfig written to ${kubeconfigOut}\n`,
      );
      const shutdown = () => {
        controlPlane.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    });
}
