/**
 * Benchmark of the embedded control plane (not a test): durable writes per
 * second (sequential and 16 concurrent clients) and watch delivery latency
 * (p50/p99) with 100 concurrent watchers. The server runs as its own process
 * so the measuring client does not share its event loop.
 *
 *   node --import tsx bench/control-plane.ts
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { spawnControlPlane } from "../test/control-plane/fixtures/spawn.js";

const token = "bench-token";
const _repoRoot = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "cf-cp-bench-"));
const dataDir = join(dir, "data");

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const started = await spawnControlPlane(dataDir, token);
  return started;
}

let agent: Agent | undefined;

function call(url: string, method: string, path: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { method, agent, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function configMap(name: string, sentAt = 0) {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, annotations: { sentAt: String(sentAt) } },
    data: { key: "value" },
  };
}

async function measureWrites(
  url: string,
  count: number,
  concurrency: number,
  prefix: string,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        const status = await call(
          url,
          "POST",
          "/api/v1/namespaces/default/configmaps",
          configMap(`${prefix}-${index}`),
        );
        if (status !== 201) throw new Error(`write ${index} answered ${status}`);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measureWatchLatency(
  url: string,
  watchers: number,
  writes: number,
): Promise<{ p50: number; p99: number; delivered: number }> {
  const latencies: number[] = [];
  const ca = readFileSync(join(dataDir, "tls.crt"));
  const watchAgent = new Agent({ ca, keepAlive: true, maxSockets: watchers + 1 });
  const streams = await Promise.all(
    Array.from(
      { length: watchers },
      () =>
        new Promise<() => void>((resolve) => {
          const req = request(
            `${url}/api/v1/namespaces/default/configmaps?watch=true&labelSelector=bench%3Dwatch`,
            { agent: watchAgent, headers: { Authorization: `Bearer ${token}` } },
            (res) => {
              res.on("error", () => {});
              const lines = createInterface(res);
              lines.on("error", () => {});
              lines.on("line", (line) => {
                const event = JSON.parse(line) as {
                  type: string;
                  object: { metadata: { annotations?: Record<string, string> } };
                };
                const sentAt = Number(event.object.metadata.annotations?.sentAt ?? 0);
                if (event.type === "ADDED" && sentAt > 0)
                  latencies.push(performance.timeOrigin + performance.now() - sentAt);
              });
              resolve(() => req.destroy());
            },
          );
          req.end();
        }),
    ),
  );
  for (let i = 0; i < writes; i += 1) {
    const body = configMap(`watched-${i}`, performance.timeOrigin + performance.now());
    (body.metadata as Record<string, unknown>).labels = { bench: "watch" };
    await call(url, "POST", "/api/v1/namespaces/default/configmaps", body);
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < watchers * writes && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  for (const close of streams) close();
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), delivered: latencies.length };
}

const { child, url } = await startServer();
try {
  agent = new Agent({ ca: readFileSync(join(dataDir, "tls.crt")), keepAlive: true, maxSockets: 16 });
  const sequential = await measureWrites(url, 1000, 1, "seq");
  const concurrent = await measureWrites(url, 2000, 16, "par");
  const watch = await measureWatchLatency(url, 100, 200);
  console.log(`writes/s (1 client, durable):   ${sequential.toFixed(0)}`);
  console.log(`writes/s (16 clients, durable): ${concurrent.toFixed(0)}`);
  console.log(
    `watch delivery with 100 watchers, 200 writes: p50 ${watch.p50.toFixed(2)} ms, p99 ${watch.p99.toFixed(2)} ms (${watch.delivered} events)`,
  );
} finally {
  child.kill("SIGTERM");
  agent?.destroy();
  setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500);
}
