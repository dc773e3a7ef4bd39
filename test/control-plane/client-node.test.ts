/**
 * @kubernetes/client-node against the control plane: an informer (list +
 * watch) sees every change in order, relists after a 410, resumes after a
 * server restart; a stale update gets 409.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ApiException,
  CustomObjectsApi,
  type Informer,
  KubeConfig,
  type KubernetesObject,
  makeInformer,
  type ObjectCache,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { type ControlPlane, startControlPlane } from "../../src/control-plane/index.js";
import { fixtures } from "./helpers.js";

const group = "example.com";
const version = "v1";
const plural = "widgets";
let dir: string;
let controlPlane: ControlPlane;
let kubeconfig: KubeConfig;
let port: number;

function clients() {
  kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(join(dir, "kubeconfig"));
  return { custom: kubeconfig.makeApiClient(CustomObjectsApi) };
}

async function start(listen = "127.0.0.1:0"): Promise<void> {
  controlPlane = await startControlPlane({
    dataDir: join(dir, "data"),
    listen,
    token: "client-node-test-token",
    kubeconfigOut: join(dir, "kubeconfig"),
  });
  port = Number(new URL(controlPlane.url).port);
}

function widget(name: string, size = "small"): Record<string, unknown> {
  return {
    apiVersion: `${group}/${version}`,
    kind: "Widget",
    metadata: { name, namespace: "default" },
    spec: { size },
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Seen = { verb: string; name: string; size: string; rv: string };

interface Watched {
  informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  seen: Seen[];
  /** How many times the informer listed (a resumed watch does not list again). */
  lists: { count: number };
}

function startInformer(): Watched {
  const { custom } = clients();
  const lists = { count: 0 };
  const informer = makeInformer<KubernetesObject>(
    kubeconfig,
    `/apis/${group}/${version}/namespaces/default/${plural}`,
    () => {
      lists.count += 1;
      return custom.listNamespacedCustomObject({ group, version, namespace: "default", plural });
    },
  );
  const seen: Seen[] = [];
  const record = (verb: string) => (object: KubernetesObject) => {
    const spec = (object as { spec?: { size?: string } }).spec;
    seen.push({
      verb,
      name: object.metadata?.name ?? "",
      size: spec?.size ?? "",
      rv: object.metadata?.resourceVersion ?? "",
    });
  };
  informer.on("add", record("add"));
  informer.on("update", record("update"));
  informer.on("delete", record("delete"));
  return { informer, seen, lists };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cf-cp-node-"));
  await start();
  const { custom } = clients();
  const crd = parseDocument(readFileSync(join(fixtures, "widget-crd.yaml"), "utf8")).toJSON();
  const crds = { group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions" };
  await custom.createClusterCustomObject({ ...crds, body: crd });
});

afterAll(async () => {
  await controlPlane?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("client-node against the embedded control plane", () => {
  it("an informer sees every change in order", async () => {
    const { custom } = clients();
    await custom.createNamespacedCustomObject({
      group,
      version,
      namespace: "default",
      plural,
      body: widget("one"),
    });
    const { informer, seen } = startInformer();
    await informer.start();
    await until(() => seen.length === 1, "the initial list");
    await custom.createNamespacedCustomObject({
      group,
      version,
      namespace: "default",
      plural,
      body: widget("two"),
    });
    for (const size of ["medium", "large", "small"]) {
      // client-node 1.4 sends patches as application/json-patch+json.
      const body = [{ op: "replace", path: "/spec/size", value: size }];
      await custom.patchNamespacedCustomObject({
        group,
        version,
        namespace: "default",
        plural,
        name: "two",
        body,
      });
    }
    await custom.deleteNamespacedCustomObject({ group, version, namespace: "default", plural, name: "one" });
    await until(() => seen.length === 6, "six events");
    await informer.stop();
    expect(seen.map((s) => `${s.verb}:${s.name}:${s.size}`)).toEqual([
      "add:one:small",
      "add:two:small",
      "update:two:medium",
      "update:two:large",
      "update:two:small",
      "delete:one:small",
    ]);
    const versions = seen.slice(0, 5).map((s) => Number(s.rv));
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });

  it("a conflicting update gets 409 with a Status body", async () => {
    const { custom } = clients();
    const current = (await custom.getNamespacedCustomObject({
      group,
      version,
      namespace: "default",
      plural,
      name: "two",
    })) as {
      metadata: { resourceVersion: string };
    };
    await custom.replaceNamespacedCustomObject({
      group,
      version,
      namespace: "default",
      plural,
      name: "two",
      body: { ...current, spec: { size: "large" } },
    });
    const stale = custom.replaceNamespacedCustomObject({
      group,
      version,
      namespace: "default",
      plural,
      name: "two",
      body: { ...current, spec: { size: "medium" } },
    });
    const error = await stale.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiException);
    expect((error as ApiException<string>).code).toBe(409);
    const status = JSON.parse((error as ApiException<string>).body) as { reason: string; kind: string };
    expect(status).toMatchObject({ kind: "Status", reason: "Conflict" });
  });

  it("relists after a watch is answered with 410 Expired", async () => {
    const { custom } = clients();
    const { informer, seen, lists } = startInformer();
    await informer.start();
    await until(() => seen.length === 1, "the initial list");
    await informer.stop();
    await custom.createNamespacedCustomObject({
      group,
      version,
      namespace: "default",
      plural,
      body: widget("three"),
    });
    controlPlane.compactHistory();
    await informer.start();
    await until(() => seen.some((s) => s.name === "three"), "the relisted object");
    await informer.stop();
    expect(seen.find((s) => s.name === "three")?.verb).toBe("add");
    expect(lists.count).toBe(2);
  });

  it("resumes watching from its resourceVersion after the server restarts", async () => {
    const { custom } = clients();
    const { informer, seen, lists } = startInformer();
    informer.on("error", () => {
      setTimeout(() => void informer.start(), 200);
    });
    await informer.start();
    await until(() => seen.length === 2, "the initial list");
    await controlPlane.stop();
    await start(`127.0.0.1:${port}`);
    await custom.patchNamespacedCustomObject({
      group,
      version,
      namespace: "default",
      plural,
      name: "three",
      body: [{ op: "replace", path: "/spec/size", value: "large" }],
    });
    await until(
      () => seen.some((s) => s.name === "three" && s.size === "large"),
      "the change made after the restart",
      15_000,
    );
    await informer.stop();
    expect(
      seen
        .filter((s) => s.verb === "add")
        .map((s) => s.name)
        .sort(),
    ).toEqual(["three", "two"]);
    // Watch history survives the restart, so the informer resumed instead of relisting.
    expect(lists.count).toBe(1);
  });
});
