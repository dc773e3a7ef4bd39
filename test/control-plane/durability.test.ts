/**
 * Durability: the server runs as its own process, takes a burst of writes,
 * is killed with SIGKILL mid-burst and restarted on the same data dir. Every
 * acknowledged write must be there and resourceVersions must keep rising.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnControlPlane } from "./fixtures/spawn.js";

const token = "durability-test-token";
const dir = mkdtempSync(join(tmpdir(), "cf-cp-durable-"));
const dataDir = join(dir, "data");
const children: ChildProcess[] = [];

async function startProcess(): Promise<{ child: ChildProcess; url: string }> {
  const started = await spawnControlPlane(dataDir, token);
  children.push(started.child);
  return started;
}

function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const ca = readFileSync(join(dataDir, "tls.crt"));
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method,
        ca,
        agent: new Agent({ ca }),
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function configMap(index: number) {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `burst-${index}` },
    data: { index: String(index) },
  };
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("durability across kill -9", () => {
  it("keeps every acknowledged write and continues resourceVersions after SIGKILL", async () => {
    const first = await startProcess();
    const acknowledged = new Map<string, number>();
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, writer) => {
      for (let i = writer; !stop; i += 8) {
        const result = await call(
          first.url,
          "POST",
          "/api/v1/namespaces/default/configmaps",
          configMap(i),
        ).catch(() => undefined);
        if (!result) return;
        if (result.status === 201) {
          const metadata = result.body.metadata as { name: string; resourceVersion: string };
          acknowledged.set(metadata.name, Number(metadata.resourceVersion));
        }
      }
    });
    while (acknowledged.size < 200) await new Promise((resolve) => setTimeout(resolve, 10));
    first.child.kill("SIGKILL");
    stop = true;
    await Promise.all(writers);
    const versions = [...acknowledged.values()];
    expect(new Set(versions).size).toBe(versions.length);

    const second = await startProcess();
    const list = await call(second.url, "GET", "/api/v1/namespaces/default/configmaps");
    const stored = new Map(
      (list.body.items as { metadata: { name: string; resourceVersion: string } }[]).map((item) => [
        item.metadata.name,
        Number(item.metadata.resourceVersion),
      ]),
    );
    const missing = [...acknowledged.keys()].filter((name) => !stored.has(name));
    expect(missing).toEqual([]);
    for (const [name, version] of acknowledged) expect(stored.get(name)).toBe(version);
    const after = await call(
      second.url,
      "POST",
      "/api/v1/namespaces/default/configmaps",
      configMap(1_000_000),
    );
    expect(after.status).toBe(201);
    const newest = Number((after.body.metadata as { resourceVersion: string }).resourceVersion);
    expect(newest).toBeGreaterThan(Math.max(...versions));
    expect(
      Number((list.body.metadata as { resourceVersion: string }).resourceVersion),
    ).toBeGreaterThanOrEqual(Math.max(...versions));
    second.child.kill("SIGTERM");
  });
});
