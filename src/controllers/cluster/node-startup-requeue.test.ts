import { rm } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { findCondition } from "../../api/conditions.js";
import type { FakeClusterStore } from "./fake-store.js";
import type { WorkloadAccess } from "./leaving-nodes.js";
import { PASS_KEY, passHarness } from "./pass-harness.test-helpers.js";
import { reconcileCluster } from "./reconcile.js";

const start = new Date("2026-12-01T10:00:00Z");
const TIMEOUT_MS = 5 * 60_000;
let stateDir: string;
afterEach(() => rm(stateDir, { recursive: true, force: true }));

// The workload API answers, but no Node ever registers.
const workload: WorkloadAccess = {
  observe: () => ({ api: "reachable", address: "https://10.0.1.254:6443", nodes: new Map() }),
  removeNodes: async () => [],
  drop: async () => {},
};

const healthy = (store: FakeClusterStore) =>
  findCondition(store.machines[0]?.status?.conditions, "NodeHealthy");

describe("a Machine waiting for its Node", () => {
  it("brings its Cluster back when the node startup timeout is due, not at the next drift check", async () => {
    let now = start;
    const advance = (ms: number) => {
      now = new Date(now.getTime() + ms);
    };
    const harness = await passHarness({
      now: () => now,
      deps: { workload, nodeStartupTimeoutMs: TIMEOUT_MS },
    });
    ({ stateDir } = harness);
    const { store, deps } = harness;
    const first = await reconcileCluster(deps, PASS_KEY);
    expect(healthy(store)).toMatchObject({ status: "False", reason: "NodeNotRegistered" });
    // The default drift interval (10m) is later than the 5m timeout: the timeout decides.
    expect(first.requeueAfterMs).toBe(TIMEOUT_MS);

    advance(2 * 60_000);
    store.takeWrites();
    const second = await reconcileCluster(deps, PASS_KEY);
    expect(second.requeueAfterMs).toBe(TIMEOUT_MS - 2 * 60_000);
    // The message names the timeout, not the time waited: a pass that learns nothing writes nothing.
    expect(store.takeWrites()).not.toContain("status Machine/a");

    advance(TIMEOUT_MS - 2 * 60_000);
    await reconcileCluster(deps, PASS_KEY);
    expect(healthy(store)).toMatchObject({ status: "False", reason: "NodeStartupTimeout" });
    expect(healthy(store)?.message).toContain("within 5m");
  }, 60_000); // whole passes: the first synthesis loads cdktf (seconds on a busy machine)
});
