import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { type BindAddress, describeBindAddress } from "./bind-address.js";

type Route = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

export interface Endpoints {
  /** The port really bound (differs from the requested one for port 0). */
  port: number;
  close(): Promise<void>;
}

/** The controller's probe answers: alive while the process runs, ready per `ready()`. */
export interface Probes {
  ready(): boolean;
}

/** Serves `registry` in the Prometheus text format on GET /metrics. */
export function serveMetrics(address: BindAddress, registry: Registry): Promise<Endpoints> {
  return serve(address, "metrics", {
    "/metrics": async (_request, response) => {
      const body = await registry.metrics();
      response.writeHead(200, { "content-type": registry.contentType }).end(body);
    },
  });
}

/** GET /healthz: 200 while the process answers. GET /readyz: 200 when ready, 503 before. */
export function serveProbes(address: BindAddress, probes: Probes): Promise<Endpoints> {
  return serve(address, "health probe", {
    "/healthz": (_request, response) => text(response, 200, "ok"),
    "/readyz": (_request, response) =>
      probes.ready() ? text(response, 200, "ok") : text(response, 503, "not ready: caches not synced"),
  });
}

function serve(address: BindAddress, what: string, routes: Record<string, Route>): Promise<Endpoints> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    const route = routes[path];
    if (!route) return text(response, 404, "not found");
    if (request.method !== "GET" && request.method !== "HEAD") return text(response, 405, "GET only");
    Promise.resolve(route(request, response)).catch((error: unknown) => {
      if (!response.headersSent) text(response, 500, String(error));
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(`${what} endpoint ${describeBindAddress(address)}: ${error.code ?? error.message}`)),
    );
    server.listen(address.port, address.host || undefined, () => {
      resolve({ port: (server.address() as AddressInfo).port, close: () => closeServer(server) });
    });
  });
}

function text(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(`${body}\n`);
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
