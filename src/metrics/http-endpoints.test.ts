import { Counter, Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { type Endpoints, serveMetrics, serveProbes } from "./http-endpoints.js";
import { parseScrape } from "./scrape.test-helpers.js";

const loopback = { host: "127.0.0.1", port: 0 };
const open: Endpoints[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((served) => served.close()));
});

async function get(endpoints: Endpoints, path: string) {
  const response = await fetch(`http://127.0.0.1:${endpoints.port}${path}`);
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

describe("serveMetrics", () => {
  it("serves the registry as Prometheus text on /metrics and nothing else", async () => {
    const registry = new Registry();
    new Counter({ name: "probe_total", help: "a probe", registers: [registry] }).inc(3);
    const served = await serveMetrics(loopback, registry);
    open.push(served);
    const metrics = await get(served, "/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain("text/plain; version=0.0.4");
    expect(parseScrape(metrics.body).value("probe_total")).toBe(3);
    expect((await get(served, "/")).status).toBe(404);
  });

  it("fails with the endpoint and the reason when the port is taken", async () => {
    const first = await serveMetrics(loopback, new Registry());
    open.push(first);
    await expect(serveMetrics({ host: "127.0.0.1", port: first.port }, new Registry())).rejects.toThrow(
      `metrics endpoint 127.0.0.1:${first.port}: EADDRINUSE`,
    );
  });
});

describe("serveProbes", () => {
  it("answers /healthz at once and /readyz 503 until ready, then 200", async () => {
    let ready = false;
    const served = await serveProbes(loopback, { ready: () => ready });
    open.push(served);
    expect((await get(served, "/healthz")).status).toBe(200);
    const before = await get(served, "/readyz");
    expect(before.status).toBe(503);
    expect(before.body).toContain("not ready");
    ready = true;
    expect((await get(served, "/readyz")).status).toBe(200);
  });
});
