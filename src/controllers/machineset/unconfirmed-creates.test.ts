import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { MachineSet } from "../../api/machine-set.js";
import { type ApiClient, ApiError } from "../runtime/api-client.js";
import { reconcileMachineSet } from "./reconcile.js";
import { createOutcomeUnknown, UnconfirmedCreates } from "./unconfirmed-creates.js";

describe("UnconfirmedCreates", () => {
  it("counts a create without an answer until the list shows its name", () => {
    const pending = new UnconfirmedCreates(60_000, () => 1_000);
    pending.expect("ns/workers", "workers-abcde");
    expect(pending.outstanding("ns/workers", new Set())).toEqual({ count: 1, recheckAfterMs: 60_000 });
    expect(pending.outstanding("ns/other", new Set())).toEqual({ count: 0 });
    expect(pending.outstanding("ns/workers", new Set(["workers-abcde"]))).toEqual({ count: 0 });
    // Seen once is enough: it is not waited for again.
    expect(pending.outstanding("ns/workers", new Set())).toEqual({ count: 0 });
  });

  it("gives up on a create that never shows up once the TTL passes", () => {
    let now = 0;
    const pending = new UnconfirmedCreates(60_000, () => now);
    pending.expect("ns/workers", "workers-abcde");
    now = 59_999;
    expect(pending.outstanding("ns/workers", new Set()).count).toBe(1);
    now = 60_000;
    expect(pending.outstanding("ns/workers", new Set()).count).toBe(0);
  });

  it("treats no answer and server errors as unknown, a 4xx as a definite no", () => {
    expect(createOutcomeUnknown(new ApiError(0, "ConnectionFailed", "timeout"))).toBe(true);
    expect(createOutcomeUnknown(new ApiError(503, "ServiceUnavailable", "busy"))).toBe(true);
    expect(createOutcomeUnknown(new ApiError(422, "Invalid", "bad"))).toBe(false);
    expect(createOutcomeUnknown(new Error("other"))).toBe(false);
  });
});

/**
 * An API server whose answer to one Machine create is lost (the client times
 * out) while the object is committed only later, after the controller's next
 * list, as a loaded server can do.
 */
function slowServer(set: MachineSet & KubernetesObject) {
  const machines = new Map<string, KubernetesObject>();
  const late: KubernetesObject[] = [];
  let loseNextAnswer = false;
  const client = {
    find: async () => structuredClone(set),
    list: async () => ({ items: [...machines.values()].map((m) => structuredClone(m)) }),
    create: async (_resource: unknown, _namespace: string, body: KubernetesObject) => {
      const stored = { ...body, metadata: { ...body.metadata, uid: `uid-${body.metadata?.name}` } };
      if (loseNextAnswer) {
        loseNextAnswer = false;
        late.push(stored);
        throw new ApiError(0, "ConnectionFailed", "POST machines: no answer within 30000 ms");
      }
      machines.set(body.metadata?.name ?? "", stored);
      return stored;
    },
    patch: async () => ({ metadata: {} }),
    delete: async (_resource: unknown, _namespace: string, name: string) => {
      machines.delete(name);
    },
  } as unknown as ApiClient;
  return {
    client,
    machines,
    loseNextAnswer: () => {
      loseNextAnswer = true;
    },
    commitLate: () => {
      for (const m of late.splice(0)) machines.set(m.metadata?.name ?? "", m);
    },
  };
}

const workers = {
  apiVersion: "cluster.k8s.io/v1alpha1",
  kind: "MachineSet",
  metadata: { name: "workers", namespace: "ns", uid: "set-uid", generation: 1 },
  spec: {
    replicas: 1,
    selector: { matchLabels: { pool: "workers" } },
    template: { metadata: { labels: { pool: "workers" } }, spec: { providerSpec: {} } },
  },
} as unknown as MachineSet & KubernetesObject;

describe("reconcileMachineSet with a create whose answer was lost", () => {
  const key = { namespace: "ns", name: "workers" };

  it("does not create a second Machine while the first may still land, and requeues for it", async () => {
    const server = slowServer(workers);
    const unconfirmed = new UnconfirmedCreates();
    server.loseNextAnswer();
    await expect(reconcileMachineSet({ client: server.client, unconfirmed }, key)).rejects.toThrow(
      /no answer/,
    );
    // The retry lists before the server commits the first create.
    const result = await reconcileMachineSet({ client: server.client, unconfirmed }, key);
    expect(server.machines.size).toBe(0);
    expect(result.requeueAfterMs).toBeGreaterThan(0);
    server.commitLate();
    await reconcileMachineSet({ client: server.client, unconfirmed }, key);
    expect(server.machines.size).toBe(1);
  });

  it("without that bookkeeping, the same interleaving leaves a surplus Machine (the race it closes)", async () => {
    const server = slowServer(workers);
    server.loseNextAnswer();
    await expect(reconcileMachineSet({ client: server.client }, key)).rejects.toThrow(/no answer/);
    await reconcileMachineSet({ client: server.client }, key);
    server.commitLate();
    expect(server.machines.size).toBe(2);
  });

  it("replaces a create that never landed once the wait is over", async () => {
    let now = 0;
    const server = slowServer(workers);
    const unconfirmed = new UnconfirmedCreates(60_000, () => now);
    server.loseNextAnswer();
    await expect(reconcileMachineSet({ client: server.client, unconfirmed }, key)).rejects.toThrow();
    await reconcileMachineSet({ client: server.client, unconfirmed }, key);
    expect(server.machines.size).toBe(0);
    now = 60_000;
    await reconcileMachineSet({ client: server.client, unconfirmed }, key);
    expect(server.machines.size).toBe(1);
  });

  it("still scales down to replicas while a create is unconfirmed (it only holds back creation)", async () => {
    const set = structuredClone(workers);
    set.spec.replicas = 3;
    const server = slowServer(set);
    const unconfirmed = new UnconfirmedCreates();
    await reconcileMachineSet({ client: server.client, unconfirmed }, key);
    expect(server.machines.size).toBe(3);
    set.spec.replicas = 2;
    unconfirmed.expect("ns/workers", "workers-never");
    await reconcileMachineSet({ client: server.client, unconfirmed }, key);
    expect(server.machines.size).toBe(2);
  });
});
