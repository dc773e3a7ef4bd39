/**
 * The embedded Kubernetes-compatible control plane: start it in-process with
 * `startControlPlane`, point kubectl or client-node at the kubeconfig it writes.
 */
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { timestamp } from "./admission.js";
import { auditFileFor, fileAuditSink } from "./audit.js";
import { BuiltInControllers } from "./controllers.js";
import { writeKubeconfig } from "./kubeconfig.js";
import { ObjectService } from "./object-service.js";
import { loadOrCreateToken } from "./private-files.js";
import { Registry } from "./registry.js";
import { createRequestHandler } from "./server.js";
import { ObjectStore } from "./store.js";
import { loadOrCreateTls } from "./tls.js";
import { historyWindowMs, WatchHub } from "./watch-hub.js";

export interface ControlPlaneOptions {
  /** host:port; port 0 picks a free port. Default 127.0.0.1:0. */
  listen?: string;
  dataDir: string;
  /**
   * Bearer token clients must present. When omitted, the token kept in the
   * data dir (file `token`, 0600) is used, generated on the first start.
   */
  token?: string;
  /** Where to write a kubeconfig for this server. */
  kubeconfigOut?: string;
  /**
   * Append one JSON line per resource request (verb, group, resource,
   * subresource, namespace, user agent) to this file. Default: a fresh file in
   * $CLUSTERFORM_AUDIT_DIR when that is set, else no audit.
   */
  auditFile?: string;
}

export interface ControlPlane {
  url: string;
  token: string;
  /** PEM of the server's self-signed certificate (clients trust it as their CA). */
  caCert: string;
  kubeconfigPath?: string;
  stop(): Promise<void>;
  /** For tests: forget watch history up to the current version, so older watches get 410. */
  compactHistory(): void;
}

function parseListen(listen: string): { host: string; port: number } {
  const index = listen.lastIndexOf(":");
  if (index < 0)
    throw new Error(
      `--listen "${listen}" must be host:port, for example 127.0.0.1:6443 (port 0 picks a free port)`,
    );
  const host = listen.slice(0, index).replace(/^\[|\]$/g, "");
  const port = Number(listen.slice(index + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--listen "${listen}": port must be 0-65535`);
  return { host, port };
}

function ensureDefaultNamespace(service: ObjectService): void {
  const namespaces = service.registry.lookup("", "v1", "namespaces");
  if (!namespaces || service.find(namespaces, undefined, "default")) return;
  service.create(
    namespaces,
    "v1",
    undefined,
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } },
    {
      fieldManager: "clusterform-control-plane",
      fieldValidation: "Strict",
      dryRun: false,
      force: false,
      warnings: [],
    },
  );
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const { host, port } = parseListen(options.listen ?? "127.0.0.1:0");
  const store = new ObjectStore(options.dataDir);
  const token = options.token ?? loadOrCreateToken(options.dataDir);
  const hub = new WatchHub(store.eventsSince(Date.now() - historyWindowMs), store.currentVersion);
  const service = new ObjectService(store, hub, new Registry());
  service.loadCrds();
  const controllers = new BuiltInControllers(service);
  service.onCommit = () => controllers.schedule();
  ensureDefaultNamespace(service);
  controllers.schedule();

  const tls = await loadOrCreateTls(options.dataDir, host);
  const auditFile = auditFileFor(options.auditFile, process.env);
  let url = "";
  const server = createServer(
    { cert: tls.cert, key: tls.key },
    createRequestHandler({
      service,
      token,
      serverAddress: () => url.replace(/^https?:\/\//, ""),
      ...(auditFile ? { audit: fileAuditSink(auditFile) } : {}),
    }),
  );
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  url = `https://${hostPart}:${address.port}`;
  if (options.kubeconfigOut) writeKubeconfig(options.kubeconfigOut, url, token, tls.cert);
  const pruneTimer = setInterval(() => store.pruneEventsBefore(Date.now() - historyWindowMs), 60_000);
  pruneTimer.unref();

  return {
    url,
    token,
    caCert: tls.cert,
    kubeconfigPath: options.kubeconfigOut,
    compactHistory: () => hub.compactThrough(store.currentVersion),
    async stop() {
      clearInterval(pruneTimer);
      controllers.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}

export { timestamp };
