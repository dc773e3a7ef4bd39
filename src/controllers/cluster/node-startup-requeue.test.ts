import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findCondition } from "../../api/conditions.js";
import { BOOTSTRAP_ANNOTATION } from "../../bootstrap/index.js";
import { clusterWorkDir } from "../../converge/options.js";
import { StackCache } from "../../converge/stack-cache.js";
import { awsCluster } from "../../model/test-objects.js";
import { fakeRunner } from "./fake-runner.test-helpers.js";
import { FakeClusterStore } from "./fake-store.js";
import type { WorkloadAccess } from "./leaving-nodes.js";
import { CLUSTER_FINALIZER, MACHINE_FINALIZER } from "./names.js";
import { type ClusterReconcilerDeps, reconcileCluster } from "./reconcile.js";
import { awsMachine } from "./test-scope.js";

const key = { namespace: "default", name: "demo" };
const start = new Date("2026-12-01T10:00:00Z");
const TIMEOUT_MS = 5 * 60_000;
let stateDir: string;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "cf-node-startup-"));
  await mkdir(clusterWorkDir(stateDir, key), { recursive: true });
});
afterEach(() => rm(stateDir, { recursive: true, force: true }));

function setup() {
  const cluster = awsCluster("demo", "default");
  cluster.metadata = {
    ...cluster.metadata,
    uid: "uid-1",
    generation: 1,
    finalizers: [CLUSTER_FINALIZER],
    annotations: { [BOOTSTRAP_ANNOTATION]: "disabled" },
  };
  const store = new FakeClusterStore(cluster, [awsMachine("a", { finalizers: [MACHINE_FINALIZER] })]);
  // The workload API answers, but no Node ever registers.
  const workload: WorkloadAccess = {
    observe: () => ({ api: "reachable", address: "https://10.0.1.254:6443", nodes: new Map() }),
    removeNodes: async () => [],
    drop: async () => {},
  };
  let now = start;
  const runner = fakeRunner(clusterWorkDir(stateDir, key), { a: "i-0aaa" });
  const deps: ClusterReconcilerDeps = {
    store,
    converge: { stateDir, terraformBin: "/nonexistent/terraform-must-not-run" },
    stacks: new StackCache(),
    runLimit: (task) => task(),
    log: () => {},
    now: () => now,
    driftCheckDue: () => false,
    terraform: () => runner,
    workload,
    nodeStartupTimeoutMs: TIMEOUT_MS,
  };
  return { store, deps, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const healthy = (store: FakeClusterStore) =>
  findCondition(store.machines[0]?.status?.conditions, "NodeHealthy");

describe("a Machine waiting for its Node", () => {
  it("brings its Cluster back when the node startup timeout is due, not at the next drift check", async () => {
    const { store, deps, advance } = setup();
    const first = await reconcileCluster(deps, key);
    expect(healthy(store)).toMatchObject({ status: "False", reason: "NodeNotRegistered" });
    // The default drift interval (10m) is later than the 5m timeout: the timeout decides.
    expect(first.requeueAfterMs).toBe(TIMEOUT_MS);

    advance(2 * 60_000);
    store.takeWrites();
    const second = await reconcileCluster(deps, key);
    expect(second.requeueAfterMs).toBe(TIMEOUT_MS - 2 * 60_000);
    // The message names the timeout, not the time waited: a pass that learns nothing writes nothing.
    expect(store.takeWrites()).not.toContain("status Machine/a");

    advance(TIMEOUT_MS - 2 * 60_000);
    await reconcileCluster(deps, key);
    expect(healthy(store)).toMatchObject({ status: "False", reason: "NodeStartupTimeout" });
    expect(healthy(store)?.message).toContain("within 5m");
  }, 60_000); // whole passes: the first synthesis loads cdktf (seconds on a busy machine)
});
