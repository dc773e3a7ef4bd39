import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Machine } from "../../api/machine.js";
import { StackCache } from "../../converge/stack-cache.js";
import { awsCluster } from "../../model/test-objects.js";
import { writeAppliedRecord } from "./applied-record.js";
import { FakeClusterStore } from "./fake-store.js";
import { CLUSTER_FINALIZER, MACHINE_FINALIZER } from "./names.js";
import { type ClusterReconcilerDeps, reconcileCluster } from "./reconcile.js";
import { awsMachine, awsOutputs, testScope } from "./test-scope.js";
import { validate } from "./validate.js";

// Whole passes against an in-memory store: the decisions, the writes and the
// schedule, without Terraform (no pass here may reach it: the binary is bogus).

const key = { namespace: "default", name: "demo" };
const now = new Date("2026-12-01T10:00:00Z");
let stateDir: string;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "cf-reconcile-"));
});
afterEach(() => rm(stateDir, { recursive: true, force: true }));

function held(machines: Machine[]): { store: FakeClusterStore; machines: Machine[] } {
  const cluster = awsCluster("demo", "default");
  cluster.metadata = { ...cluster.metadata, uid: "uid-1", generation: 1, finalizers: [CLUSTER_FINALIZER] };
  // Checked a moment ago: a valid, applied cluster's next drift check is in the future.
  cluster.status = { lastDriftCheck: new Date(now.getTime() - 1000).toISOString() };
  const withFinalizers = machines.map((m) => ({
    ...m,
    metadata: { ...m.metadata, finalizers: [MACHINE_FINALIZER] },
  }));
  return { store: new FakeClusterStore(cluster, withFinalizers), machines: withFinalizers };
}

function deps(store: FakeClusterStore, stacks = new StackCache()): ClusterReconcilerDeps {
  return {
    store,
    converge: { stateDir, terraformBin: "/nonexistent/terraform-must-not-run" },
    stacks,
    runLimit: (task) => task(),
    log: () => {},
    now: () => now,
    driftCheckDue: () => false,
  };
}

describe("reconcileCluster (fake store, no Terraform)", () => {
  it("adds the finalizers first, then goes on in the same pass (no wait for its own write's event)", async () => {
    const store = new FakeClusterStore(
      { ...awsCluster("demo", "default"), metadata: { name: "demo", namespace: "default" } },
      [awsMachine("a")],
    );
    await reconcileCluster(deps(store), key);
    expect(store.takeWrites().slice(0, 2)).toEqual(["finalizer+ Cluster/demo", "finalizer+ Machine/a"]);
    // The same pass judged the cluster (here: a Machine with versions but no control plane).
    const bootstrap = store.cluster.status?.conditions?.find((c) => c.type === "Bootstrap");
    expect(bootstrap).toMatchObject({ status: "False", reason: "NoControlPlane" });
  });

  it("an invalid cluster with an earlier apply schedules no drift check and runs no Terraform", async () => {
    const bad = awsMachine("a");
    bad.spec.providerSpec = { value: { ...(bad.spec.providerSpec?.value as object), instanceType: "" } };
    const { store } = held([bad]);
    await writeAppliedRecord(join(stateDir, "default", "demo"), {
      configHash: "an-earlier-configuration",
      provider: "aws",
      outputs: awsOutputs({ a: "i-1" }),
      appliedAt: now.toISOString(),
    });
    const stacks = new StackCache();
    const result = await reconcileCluster({ ...deps(store, stacks), driftCheckDue: undefined }, key);
    expect(result.requeueAfterMs).toBeUndefined();
    expect(stacks.synthesized).toBe(0);
    const ready = store.cluster.status?.conditions?.find((c) => c.type === "Ready");
    expect(ready).toMatchObject({ status: "False", reason: "InvalidConfiguration" });
    expect(store.events.map((e) => e.reason)).toContain("InvalidConfiguration");
  });

  it("a broken brought CA is terminal, and re-read every minute (Secrets bring no watch event)", async () => {
    const machine = awsMachine("a");
    machine.spec.versions = { kubelet: "1.31.2", controlPlane: "1.31.2" };
    const { store } = held([machine]);
    store.secrets.set("demo-ca", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "demo-ca" },
      data: { "tls.crt": Buffer.from("not a certificate").toString("base64") },
    });
    const result = await reconcileCluster({ ...deps(store), driftCheckDue: undefined }, key);
    expect(result.requeueAfterMs).toBe(60_000);
    expect(store.events.map((e) => e.message).join("\n")).toMatch(/Secret demo-ca/);
  });

  it("a drift annotation it cannot read is a Warning Event naming it; the default applies", async () => {
    const { store } = held([awsMachine("a")]);
    store.cluster.metadata.annotations = {
      "clusterform.io/drift-interval": "ten minutes",
      "clusterform.io/full-drift-interval": "1h",
    };
    await reconcileCluster(deps(store), key);
    const warnings = store.events.filter((e) => e.reason === "InvalidAnnotation").map((e) => e.message);
    expect(warnings).toEqual([
      'annotation clusterform.io/drift-interval="ten minutes" is not a duration like 10m or 1h30m (or "off"); using 10m',
    ]);
  });

  it("a valid cluster that was applied schedules its drift check", async () => {
    const { store, machines } = held([awsMachine("a")]);
    const stacks = new StackCache();
    const validation = validate(testScope(machines));
    if (!validation.ok) throw new Error("the test cluster must be valid");
    await writeAppliedRecord(join(stateDir, "default", "demo"), {
      configHash: stacks.synth(validation.model).configHash,
      provider: "aws",
      outputs: awsOutputs({ a: "i-1" }),
      appliedAt: now.toISOString(),
    });
    const result = await reconcileCluster({ ...deps(store, stacks), driftCheckDue: undefined }, key);
    expect(result.requeueAfterMs).toBeGreaterThan(0);
  });

  it("a converged cluster costs one status write per object, and none on the next pass", async () => {
    const { store, machines } = held([awsMachine("a"), awsMachine("b")]);
    const stacks = new StackCache();
    const validation = validate(testScope(machines));
    if (!validation.ok) throw new Error("the test cluster must be valid");
    await writeAppliedRecord(join(stateDir, "default", "demo"), {
      configHash: stacks.synth(validation.model).configHash,
      provider: "aws",
      outputs: awsOutputs({ a: "i-1", b: "i-2" }),
      appliedAt: now.toISOString(),
    });
    await reconcileCluster(deps(store, stacks), key);
    expect(store.takeWrites().sort()).toEqual([
      "spec.providerID Machine/a",
      "spec.providerID Machine/b",
      "status Cluster/demo",
      "status Machine/a",
      "status Machine/b",
    ]);
    await reconcileCluster(deps(store, stacks), key);
    expect(store.takeWrites()).toEqual([]);
  });
});
