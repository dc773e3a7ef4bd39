import { describe, expect, it } from "vitest";
import type { Machine } from "../../api/machine.js";
import type { BootstrapToken, JoinTokenOwner, JoinTokenRecord } from "../../bootstrap/index.js";
import type { NodeSummary, WorkloadObservation } from "../../status/workload.js";
import { providerIDKey } from "../../status/workload.js";
import type { JoinTokenApi } from "../workload/join-tokens.js";
import { machineBootstrapSecretName, tokenSecretName } from "./bootstrap-secrets.js";
import { bootstrapStep } from "./bootstrap-step.js";
import { FakeClusterStore } from "./fake-store.js";
import type { WorkloadAccess } from "./leaving-nodes.js";
import type { ClusterScope } from "./scope.js";
import { computeStatuses } from "./status.js";
import { awsMachine, testScope } from "./test-scope.js";
import { validate } from "./validate.js";

// Late joiners through the bootstrap step: a fake workload kube-system, the real decisions.

const V = "1.31.2"; // ECDSA PKI: quick in unit tests
const start = new Date("2026-12-01T10:00:00Z");
const HOUR = 3600_000;

function versioned(name: string, controlPlane: boolean, providerID?: string): Machine {
  const m = awsMachine(name, { uid: `uid-${name}` });
  m.spec.versions = controlPlane ? { kubelet: V, controlPlane: V } : { kubelet: V };
  if (providerID) m.status = { providerID };
  return m;
}

/** kube-system of the workload cluster, in memory. */
class FakeKubeSystem implements JoinTokenApi {
  readonly tokens = new Map<string, JoinTokenRecord & { owner: JoinTokenOwner }>();
  async list(clusterUid: string) {
    return [...this.tokens.values()].filter((t) => t.owner.clusterUid === clusterUid);
  }
  async create(token: BootstrapToken, owner: JoinTokenOwner) {
    const name = `bootstrap-token-${token.id}`;
    const record = { name, id: token.id, machineUid: owner.machine.uid, token: token.token };
    this.tokens.set(name, { ...record, expires: token.expires, owner });
  }
  async extend(record: JoinTokenRecord, expires: Date) {
    const kept = this.tokens.get(record.name);
    if (kept) kept.expires = expires;
  }
  async remove(record: JoinTokenRecord) {
    this.tokens.delete(record.name);
  }
}

function workloadAccess(api: FakeKubeSystem): WorkloadAccess {
  return {
    observe: () => undefined,
    removeNodes: async () => [],
    drop: async () => {},
    joinTokens: () => api,
  };
}

function observation(providerIDs: string[]): WorkloadObservation {
  const nodes = new Map<string, NodeSummary>(
    providerIDs.map((id, i) => [
      providerIDKey(id),
      { name: `node-${i}`, ready: { status: "True" }, unschedulable: false },
    ]),
  );
  return { api: "reachable", address: "https://10.0.0.1:6443", nodes };
}

async function pass(
  store: FakeClusterStore,
  machines: Machine[],
  workload: string[],
  api: FakeKubeSystem,
  now: Date,
) {
  const scope: ClusterScope = testScope(machines, { workload: observation(workload) });
  scope.cluster = store.cluster;
  const validation = validate(scope);
  if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
  const model = await bootstrapStep(store, scope, validation.model, now, workloadAccess(api));
  return { scope, model };
}

const secretText = (store: FakeClusterStore, name: string) =>
  Buffer.from(store.secrets.get(name)?.data?.value ?? "", "base64").toString("utf8");

describe("bootstrap tokens for late joiners (bootstrap step, fake workload)", () => {
  it("waits for ControlPlaneInitialized, creates the token, extends it while no Node, deletes it after", async () => {
    const cp = versioned("cp-1", true, "aws:////i-cp");
    const w1 = versioned("w-1", false, "aws:////i-w1");
    const scopeCluster = testScope([]).cluster;
    scopeCluster.metadata.uid = "uid-demo";
    const store = new FakeClusterStore(scopeCluster, [cp, w1]);
    const api = new FakeKubeSystem();
    // The cluster is first planned: everyone gets the init token, nothing is created in the workload cluster.
    await pass(store, [cp, w1], [], api, start);
    const initToken = store.secrets.get(tokenSecretName("demo"))?.data?.token;
    expect(initToken).toBeDefined();
    expect(api.tokens.size).toBe(0);

    // A day later (the init token expired) a worker is added before the init machine's Node registered.
    const late = versioned("w-2", false);
    const later = new Date(start.getTime() + 25 * HOUR);
    const waiting = await pass(store, [cp, w1, late], [], api, later);
    expect(waiting.model?.machines.map((m) => m.name)).toEqual(["cp-1", "w-1"]);
    expect(waiting.model?.bootstrap?.machines).not.toContain("w-2");
    expect(store.secrets.has(machineBootstrapSecretName("w-2"))).toBe(false);
    expect(api.tokens.size).toBe(0);
    const ready = computeStatuses(waiting.scope, later)
      .machines.find((m) => m.object.metadata.name === "w-2")
      ?.status.conditions?.find((c) => c.type === "Ready");
    expect(ready).toMatchObject({ status: "False", reason: "WaitingForBootstrapToken" });
    expect(ready?.message).toContain("ControlPlaneInitialized");

    // The init machine's Node registers: the token is created and the worker rendered with it.
    const minted = await pass(store, [cp, w1, late], ["aws:////i-cp"], api, later);
    expect(minted.model?.machines.map((m) => m.name)).toContain("w-2");
    expect(minted.scope.bootstrap?.waiting).toBeUndefined();
    const [token] = [...api.tokens.values()];
    expect(token?.owner.machine).toEqual({ namespace: "default", name: "w-2", uid: "uid-w-2" });
    expect(secretText(store, machineBootstrapSecretName("w-2"))).toContain(token?.token);
    expect(store.secrets.get(tokenSecretName("demo"))?.data?.token).toBe(initToken);
    const created = store.events.find((e) => e.reason === "BootstrapTokenCreated");
    expect(created?.name).toBe("Machine/w-2");
    expect(created?.message).toContain(token?.id);
    expect(created?.message).not.toContain(token?.token);
    expect(minted.scope.bootstrap?.recheckAfterMs).toBe(HOUR);

    // No Node yet 90 minutes on: extended by a full lifetime, not created again.
    late.status = { providerID: "aws:////i-w2" };
    const extendedAt = new Date(later.getTime() + 1.5 * HOUR);
    await pass(store, [cp, w1, late], ["aws:////i-cp"], api, extendedAt);
    expect(api.tokens.size).toBe(1);
    expect(token?.expires.getTime()).toBe(extendedAt.getTime() + 2 * HOUR);

    // Its Node registers: the token goes.
    await pass(store, [cp, w1, late], ["aws:////i-cp", "aws:////i-w2"], api, extendedAt);
    expect(api.tokens.size).toBe(0);
  }, 30_000); // five passes, each with key generation: seconds on a loaded machine

  it("reuses a token a failed pass left behind, and deletes tokens of Machines gone", async () => {
    const cp = versioned("cp-1", true, "aws:////i-cp");
    const cluster = testScope([]).cluster;
    cluster.metadata.uid = "uid-demo";
    const store = new FakeClusterStore(cluster, [cp]);
    const api = new FakeKubeSystem();
    await pass(store, [cp], ["aws:////i-cp"], api, start);
    const later = new Date(start.getTime() + 25 * HOUR);
    const owner = (name: string) => ({
      clusterUid: "uid-demo",
      machine: { namespace: "default", name, uid: `uid-${name}` },
    });
    const token = (id: string) => ({
      id,
      secret: "0123456789abcdef",
      token: `${id}.0123456789abcdef`,
      ttl: "2h0m0s",
      expires: new Date(later.getTime() + HOUR * 1.9),
    });
    await api.create(token("aaaaaa"), owner("w-2"));
    await api.create(token("gggggg"), owner("gone"));
    const w2 = versioned("w-2", false);
    await pass(store, [cp, w2], ["aws:////i-cp"], api, later);
    expect([...api.tokens.keys()]).toEqual(["bootstrap-token-aaaaaa"]);
    expect(secretText(store, machineBootstrapSecretName("w-2"))).toContain("aaaaaa.0123456789abcdef");
  });
});
