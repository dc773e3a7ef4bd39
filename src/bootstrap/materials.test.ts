import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ADOPT_INSTANCE_ANNOTATION } from "../api/annotations.js";
import type { Machine } from "../api/machine.js";
import { buildModels } from "../model/build.js";
import { awsCluster } from "../model/test-objects.js";
import type { ClusterModel } from "../model/types.js";
import { AWS_PROVIDER_ID_TEMPLATE } from "./cloud-config.js";
import { kubeconfigToIssue } from "./kubeconfig-issue.js";
import { type BootstrapMaterials, lateJoiners, prepareBootstrap, type StoredBootstrap } from "./materials.js";
import { generateClusterPki } from "./pki.js";
import { BOOTSTRAP_ANNOTATION } from "./setting.js";
import { versionedMachine } from "./test-support.js";

const V = "1.31.2"; // ECDSA: quick to generate in unit tests
const cp = (name: string, version = V) => versionedMachine(name, version, version);
const worker = (name: string, version = V) => versionedMachine(name, version);

function model(machines: Machine[], annotations?: Record<string, string>): ClusterModel {
  const cluster = awsCluster("c1");
  if (annotations) cluster.metadata.annotations = annotations;
  const result = buildModels({ clusters: [cluster], machines, machineClasses: [] });
  const built = result.models[0];
  if (!built) throw new Error(JSON.stringify(result.invalid));
  return built;
}

const empty = (): StoredBootstrap => ({ pki: {}, machineData: new Map() });

function ready(result: BootstrapMaterials) {
  if (result.kind !== "ready") throw new Error(`expected ready, got ${JSON.stringify(result)}`);
  return result;
}

/** What a driver keeps after saving `changes` on top of `stored`. */
function kept(stored: StoredBootstrap, result: ReturnType<typeof ready>): StoredBootstrap {
  return {
    pki: { ...stored.pki, ...result.changes.pki },
    initMachine: stored.initMachine ?? result.changes.initMachine,
    token: result.changes.token ?? stored.token,
    machineData: new Map([...stored.machineData, ...result.changes.machineData]),
  };
}

describe("prepareBootstrap", () => {
  it("on a first pass generates the PKI, records the init machine and renders every Machine", async () => {
    const result = ready(await prepareBootstrap(model([cp("cp-b"), cp("cp-a"), worker("w-1")]), empty()));
    expect(result.bootstrap).toEqual({ machines: ["cp-a", "cp-b", "w-1"], initMachine: "cp-a" });
    expect(result.changes.initMachine).toBe("cp-a");
    expect(Object.keys(result.changes.pki).sort()).toEqual(["ca", "etcd", "frontProxy", "serviceAccount"]);
    expect([...result.changes.machineData.keys()].sort()).toEqual(["cp-a", "cp-b", "w-1"]);
    expect(result.changes.machineData.get("cp-a")).toContain("kubeadm\n    - init");
    expect(result.changes.machineData.get("cp-b")).toContain("controlPlane");
    const workerData = result.changes.machineData.get("w-1") ?? "";
    expect(workerData).not.toContain("PRIVATE KEY");
    expect(Object.keys(result.data).sort()).toEqual(["cp-a", "cp-b", "w-1"]);
    expect(result.data["w-1"]).toBe(workerData);
    // An AWS cluster: every Machine's kubelet gets its provider-id from the instance's data.
    for (const text of Object.values(result.data))
      expect(text).toContain(`value: ${AWS_PROVIDER_ID_TEMPLATE}`);
  });

  it("gives every Machine of one pass the same token, and the init machine registers it", async () => {
    const result = ready(await prepareBootstrap(model([cp("cp-a"), worker("w-1")]), empty()));
    const token = result.changes.token?.token ?? "";
    expect(token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(result.changes.machineData.get("cp-a")).toContain(token);
    expect(result.changes.machineData.get("w-1")).toContain(token);
  });

  it("keeps what is stored: a second pass renders nothing new but still passes every Machine's data", async () => {
    const machines = [cp("cp-a"), worker("w-1")];
    const first = ready(await prepareBootstrap(model(machines), empty()));
    const stored = kept(empty(), first);
    const second = ready(await prepareBootstrap(model(machines), stored));
    expect(second.changes).toEqual({ pki: {}, machineData: new Map() });
    expect(second.data).toEqual(first.data);
    expect(second.pki.ca).toEqual(stored.pki.ca);
  });

  it("never re-renders a kept Machine whose versions changed; a new Machine gets the new version", async () => {
    const first = ready(await prepareBootstrap(model([cp("cp-a"), worker("w-1", "1.30.1")]), empty()));
    const stored = kept(empty(), first);
    const rolled = ready(
      await prepareBootstrap(model([cp("cp-a"), worker("w-1", "1.31.0"), worker("w-2", "1.31.1")]), stored),
    );
    expect([...rolled.changes.machineData.keys()]).toEqual(["w-2"]);
    expect(rolled.data["w-1"]).toBe(stored.machineData.get("w-1"));
    expect(rolled.changes.machineData.get("w-2")).toContain("- v1.31.1");
  });

  it("keeps a recorded init machine even when a Machine sorting first appears", async () => {
    const stored: StoredBootstrap = { ...empty(), initMachine: "cp-b" };
    const result = ready(await prepareBootstrap(model([cp("cp-a"), cp("cp-b")]), stored));
    expect(result.bootstrap.initMachine).toBe("cp-b");
    expect(result.changes.initMachine).toBeUndefined();
    expect(result.changes.machineData.get("cp-a")).toContain("join");
  });

  it("uses a brought CA as it is and generates only the missing parts beside it, of its algorithm", async () => {
    const brought = await generateClusterPki({ algorithm: "ecdsa-p256" });
    const stored: StoredBootstrap = { ...empty(), pki: { ca: brought.ca } };
    const result = ready(await prepareBootstrap(model([cp("cp-a")]), stored));
    expect(result.pki.ca).toEqual(brought.ca);
    expect(Object.keys(result.changes.pki).sort()).toEqual(["etcd", "frontProxy", "serviceAccount"]);
    expect(result.changes.pki.etcd?.key).toContain("BEGIN EC PRIVATE KEY");
  });

  it("is off with the opt-out annotation, and a wrong value is a field error on the Cluster", async () => {
    const machines = [worker("w-1")];
    expect(await prepareBootstrap(model(machines, { [BOOTSTRAP_ANNOTATION]: "disabled" }), empty())).toEqual({
      kind: "disabled",
    });
    // buildModels rejects the value first (src/model/bootstrap-versions.ts); prepareBootstrap still refuses it.
    const built = model(machines, { [BOOTSTRAP_ANNOTATION]: "disabled" });
    built.cluster.metadata.annotations = { [BOOTSTRAP_ANNOTATION]: "off" };
    const invalid = await prepareBootstrap(built, empty());
    expect(invalid).toMatchObject({
      kind: "invalid",
      errors: [{ kind: "Cluster", name: "c1", path: `metadata.annotations["${BOOTSTRAP_ANNOTATION}"]` }],
    });
  });

  it("reports a cluster with Machines but no control-plane Machine instead of bootstrapping it", async () => {
    const result = await prepareBootstrap(model([worker("w-1")]), empty());
    expect(result.kind).toBe("no-control-plane");
    expect(result).toMatchObject({ message: expect.stringContaining("no control-plane Machine") });
  });

  it("bootstraps nothing, and plans the network, for a cluster with no Machine or only adopted instances", async () => {
    expect(await prepareBootstrap(model([]), empty())).toEqual({ kind: "none" });
    const adopted = worker("w-1");
    adopted.metadata.annotations = { [ADOPT_INSTANCE_ANNOTATION]: "i-0123456789abcdef0" };
    expect(await prepareBootstrap(model([adopted]), empty())).toEqual({ kind: "none" });
  });

  it("makes a Machine without versions.kubelet a field error naming it", async () => {
    const bare = worker("w-1");
    // buildModels rejects it first (src/model/bootstrap-versions.ts); prepareBootstrap still refuses it.
    const built = model([cp("cp-a"), bare]);
    bare.spec.versions = undefined;
    const result = await prepareBootstrap(built, empty());
    expect(result).toMatchObject({
      kind: "invalid",
      errors: [{ kind: "Machine", name: "w-1", path: "spec.versions.kubelet" }],
    });
  });

  it("leaves an adopted instance alone: no data, no version rules", async () => {
    const adopted = worker("w-adopted");
    adopted.spec.versions = undefined;
    adopted.metadata.annotations = { "clusterform.io/adopt-instance-id": "i-0123456789abcdef0" };
    const built = model([cp("cp-a"), adopted]);
    expect(built.machines.find((m) => m.name === "w-adopted")?.adoptId).toBeDefined();
    const result = ready(await prepareBootstrap(built, empty()));
    expect(result.bootstrap.machines).toEqual(["cp-a"]);
  });

  it("hands out a fresh token once the kept one expired, and warns about Machines joining a running cluster", async () => {
    const machines = [cp("cp-a"), worker("w-1")];
    const now = new Date("2030-01-01T00:00:00Z");
    const first = ready(await prepareBootstrap(model(machines), empty(), now));
    const stored = kept(empty(), first);
    const later = new Date(now.getTime() + 25 * 3600 * 1000);
    const same = ready(await prepareBootstrap(model(machines), stored, later));
    expect(same.changes.token).toBeUndefined(); // nothing to render: the expired token stays
    const grown = ready(await prepareBootstrap(model([...machines, worker("w-2")]), stored, later));
    expect(grown.changes.token?.token).not.toBe(stored.token?.token);
    expect(grown.warnings.join()).toMatch(/w-2.*cannot join/);
  });

  it("with minted tokens (the controller), renders late joiners with their own token and leaves the others waiting", async () => {
    const machines = [cp("cp-a"), worker("w-1")];
    const now = new Date("2030-01-01T00:00:00Z");
    const stored = kept(empty(), ready(await prepareBootstrap(model(machines), empty(), now)));
    const withInstance = worker("w-3");
    withInstance.status = { providerID: "aws:////i-3" };
    const grown = model([...machines, worker("w-2"), withInstance, worker("w-4")]);
    // While the init token has an hour left nobody is late; after it, new joiners without an instance are.
    expect(lateJoiners(grown, stored, new Date(now.getTime() + 22 * 3600 * 1000))).toEqual([]);
    const later = new Date(now.getTime() + 25 * 3600 * 1000);
    expect(lateJoiners(grown, stored, later)).toEqual(["w-2", "w-4"]);
    const minted = new Map([["w-2", { token: "abcdef.0123456789abcdef", ttl: "2h0m0s" }]]);
    const result = ready(await prepareBootstrap(grown, stored, later, { minted }));
    expect(result.changes.machineData.get("w-2")).toContain("abcdef.0123456789abcdef");
    expect(result.waiting).toEqual(["w-4"]);
    expect(result.bootstrap.machines).toEqual(["cp-a", "w-1", "w-2", "w-3"]);
    expect(result.data["w-4"]).toBeUndefined();
    // The re-rendered w-3 gets a throwaway token: the stored one is not replaced, so no later joiner trusts it.
    expect(result.changes.token).toBeUndefined();
    expect(result.changes.machineData.get("w-3")).not.toContain(stored.token?.token);
  });
});

describe("kubeconfigToIssue", () => {
  it("issues one, keeps it while good, and re-issues for a new endpoint or at half life", async () => {
    const pki = await generateClusterPki();
    const now = new Date();
    const first = await kubeconfigToIssue({ clusterName: "c1", endpointHost: "10.0.0.10", ca: pki.ca, now });
    expect(first).toBeDefined();
    const config = parse(first ?? "") as { clusters: { cluster: { server: string } }[] };
    expect(config.clusters[0]?.cluster.server).toBe("https://10.0.0.10:6443");
    const args = { clusterName: "c1", ca: pki.ca, kept: first ?? "" };
    expect(await kubeconfigToIssue({ ...args, endpointHost: "10.0.0.10", now })).toBeUndefined();
    expect(await kubeconfigToIssue({ ...args, endpointHost: "lb.example", now })).toContain(
      "https://lb.example:6443",
    );
    const halfLife = new Date(now.getTime() + 183 * 24 * 3600 * 1000);
    expect(await kubeconfigToIssue({ ...args, endpointHost: "10.0.0.10", now: halfLife })).toBeDefined();
    expect(
      await kubeconfigToIssue({ ...args, endpointHost: "10.0.0.10", kept: "not: [yaml", now }),
    ).toBeDefined();
  });
});
