import { writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ON_DELETE_ANNOTATION } from "../../api/annotations.js";
import { findCondition } from "../../api/conditions.js";
import { BOOTSTRAP_ANNOTATION } from "../../bootstrap/index.js";
import { clusterWorkDir } from "../../converge/options.js";
import { StackCache } from "../../converge/stack-cache.js";
import { awsCluster } from "../../model/test-objects.js";
import type { ApplyPolicy } from "../../plans/apply-policy.js";
import type { ApplyResult, PlanResult } from "../../terraform/types.js";
import { FakeClusterStore } from "./fake-store.js";
import type { WorkloadAccess } from "./leaving-nodes.js";
import { CLUSTER_FINALIZER, MACHINE_FINALIZER } from "./names.js";
import { readPendingPlan } from "./pending-plan.js";
import type { StackRunner } from "./plan-flow.js";
import { type ClusterReconcilerDeps, reconcileCluster } from "./reconcile.js";
import { awsMachine, awsOutputs } from "./test-scope.js";

// The plan / gate / apply decisions of whole passes, with a fake Terraform
// runner injected (the real runs are e2e's: test/plans-*.test.ts).

const key = { namespace: "default", name: "demo" };
const now = new Date("2026-12-01T10:00:00Z");
let stateDir: string;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "cf-plan-gate-"));
  await mkdir(clusterWorkDir(stateDir, key), { recursive: true });
});
afterEach(() => rm(stateDir, { recursive: true, force: true }));

/**
 * Records every Terraform call; the plan adds one instance unless `changes` is
 * false; a one-run apply is refused (would destroy) when `refuseOneRun`.
 */
function fakeTerraform(changes = true, refuseOneRun = false) {
  const calls: string[] = [];
  const outputs = awsOutputs({ a: "i-0aaa" });
  const applied = {
    applied: { add: changes ? 1 : 0, change: 0, destroy: 0, import: 0 },
    outputs,
    outputsFromOutputCommand: false,
    diagnostics: [],
  } as unknown as ApplyResult;
  const summary = {
    add: changes ? 1 : 0,
    change: 0,
    destroy: 0,
    replace: 0,
    import: 0,
    hasChanges: changes,
    changes: [],
    drift: [],
    outputChanges: {},
  };
  const runner: StackRunner = {
    writeConfig: async () => {
      calls.push("writeConfig");
      return true;
    },
    plan: async () => {
      calls.push("plan");
      // A held plan is kept only while its plan file exists.
      const planFile = join(clusterWorkDir(stateDir, key), "tfplan");
      await writeFile(planFile, "plan");
      return { planFile, summary, diagnostics: [], configHash: "h" } as unknown as PlanResult;
    },
    show: async () => {
      calls.push("show");
      return { text: "+ aws_instance.machine_a" };
    },
    showPlan: async () => {
      calls.push("showPlan");
      return {};
    },
    applyPlanFile: async () => {
      calls.push("apply");
      return applied;
    },
    applyDirect: async () => {
      calls.push("applyDirect");
      if (refuseOneRun) return { kind: "refused", plan: summary, wouldDestroy: ["aws_instance.machine_a"] };
      return { kind: "applied", plan: summary, apply: applied };
    },
    outputs: async () => {
      calls.push("outputs");
      return outputs;
    },
  };
  return { calls, runner };
}

function setup(
  policy: ApplyPolicy,
  changes = true,
  leaving?: string,
  annotations?: Record<string, string>,
  refuseOneRun = false,
) {
  const cluster = awsCluster("demo", "default");
  // Infrastructure only: the bootstrap step has its own tests (bootstrap-step.test.ts).
  cluster.metadata = {
    ...cluster.metadata,
    uid: "uid-1",
    generation: 1,
    finalizers: [CLUSTER_FINALIZER],
    annotations: { [BOOTSTRAP_ANNOTATION]: "disabled" },
  };
  const machine = awsMachine("a");
  machine.metadata.finalizers = [MACHINE_FINALIZER];
  const machines = [machine];
  if (leaving)
    machines.push(
      awsMachine(leaving, {
        finalizers: [MACHINE_FINALIZER],
        deletionTimestamp: now.toISOString(),
        ...(annotations ? { annotations } : {}),
      }),
    );
  const store = new FakeClusterStore(cluster, machines);
  const terraform = fakeTerraform(changes, refuseOneRun);
  // The leaving Machine's instance is still in the state (the configuration no longer declares it).
  if (leaving) writeFileSync(join(clusterWorkDir(stateDir, key), "terraform.tfstate"), leavingState(leaving));
  // The workload cluster: reachable, every Machine's Node registered; removals join the call log.
  const workload: WorkloadAccess = {
    observe: () => ({ api: "reachable", address: "https://10.0.1.254:6443", nodes: new Map() }),
    removeNodes: async (_cluster, gone) => {
      terraform.calls.push(`removeNodes ${gone.map((m) => m.metadata.name).join(",")}`);
      return gone.map((m) => ({
        machine: m.metadata.name ?? "",
        node: m.metadata.name ?? "",
        removed: true,
      }));
    },
    drop: async () => {},
  };
  const deps: ClusterReconcilerDeps = {
    store,
    converge: { stateDir, terraformBin: "/nonexistent/terraform-must-not-run" },
    stacks: new StackCache(),
    runLimit: (task) => task(),
    log: () => {},
    now: () => now,
    driftCheckDue: () => false,
    defaultApplyPolicy: policy,
    terraform: () => terraform.runner,
    workload,
  };
  return { store, deps, calls: terraform.calls };
}

function leavingState(machine: string): string {
  const resources = [{ mode: "managed", type: "aws_instance", name: `machine_${machine}`, instances: [] }];
  return JSON.stringify({ version: 4, serial: 1, lineage: "l", resources });
}

const reasons = (store: FakeClusterStore) => store.events.map((e) => e.reason);

describe("plan, gate and apply (fake Terraform runner)", () => {
  it("under auto, nothing to destroy: Progressing, one run plans and applies; the Machine gets its instance", async () => {
    const { store, deps, calls } = setup("auto");
    await reconcileCluster(deps, key);
    expect(calls).toEqual(["writeConfig", "applyDirect"]);
    expect(reasons(store)).toEqual(["ApplyStarted", "PlanFinished", "ApplyFinished", "InstanceCreated"]);
    // Progressing (Provisioning) first, then the outputs Secret, the final statuses with the providerID copy first.
    expect(store.takeWrites()).toEqual([
      "status Cluster/demo",
      "status Machine/a",
      "outputs Secret",
      "status Cluster/demo",
      "spec.providerID Machine/a",
      "status Machine/a",
    ]);
    const [machine] = store.machines;
    expect(machine?.status?.providerID).toBe("aws:////i-0aaa");
    // The status observes the generation the copy made (kubectl wait ignores older conditions).
    expect(machine?.metadata.generation).toBeGreaterThan(0);
    expect(machine?.status?.observedGeneration).toBe(machine?.metadata.generation);
    expect(findCondition(machine?.status?.conditions, "Ready")?.observedGeneration).toBe(
      machine?.metadata.generation,
    );
    expect(findCondition(store.cluster.status?.conditions, "PlanPending")?.reason).toBe("PlanApplied");
  });

  it("under auto, a one-run apply Terraform refuses (it would destroy): nothing changed, then plan and apply", async () => {
    const { store, deps, calls } = setup("auto", true, undefined, undefined, true);
    await reconcileCluster(deps, key);
    expect(calls).toEqual(["writeConfig", "applyDirect", "writeConfig", "plan", "apply"]);
    expect(reasons(store)).toEqual([
      "ApplyStarted",
      "OneRunRefused",
      "PlanStarted",
      "PlanFinished",
      "ApplyStarted",
      "ApplyFinished",
      "InstanceCreated",
    ]);
    expect(store.events[1]?.message).toContain("would destroy or replace aws_instance.machine_a");
    expect(findCondition(store.cluster.status?.conditions, "PlanPending")?.reason).toBe("PlanApplied");
  });

  it("under manual: the plan is held (no apply), then waits without Terraform", async () => {
    const { store, deps, calls } = setup("manual");
    await reconcileCluster(deps, key);
    expect(calls).toEqual(["writeConfig", "plan", "show"]);
    expect(reasons(store)).toContain("ApplyHeld");
    const pending = await readPendingPlan(clusterWorkDir(stateDir, key));
    expect(pending?.id).toBeDefined();
    expect(findCondition(store.cluster.status?.conditions, "PlanPending")).toMatchObject({
      status: "True",
      reason: "AwaitingApproval",
    });
    expect(findCondition(store.machines[0]?.status?.conditions, "Ready")?.status).toBe("False");

    calls.length = 0;
    store.takeWrites();
    await reconcileCluster(deps, key);
    expect(calls).toEqual([]);
    expect(store.takeWrites()).toEqual([]);
  });

  it("with nothing to change: no apply, the outputs read and the plan recorded as NoChanges", async () => {
    const { store, deps, calls } = setup("auto-additive", false);
    await reconcileCluster(deps, key);
    expect(calls).toEqual(["writeConfig", "plan", "outputs"]);
    expect(reasons(store)).not.toContain("ApplyStarted");
    expect(findCondition(store.cluster.status?.conditions, "PlanPending")?.reason).toBe("NoChanges");
  });

  it("keeps a leaving Machine's Node while its plan waits for review, removes it right before the apply", async () => {
    const held = setup("manual", true, "b");
    await reconcileCluster(held.deps, key);
    expect(held.calls).toEqual(["writeConfig", "plan", "show"]);
    // The policy now applies the held plan: the Node goes first, then the instance.
    const released = setup("auto", true, "b");
    await reconcileCluster(released.deps, key);
    expect(released.calls).toEqual(["removeNodes b", "apply"]);
  });

  it("under auto: removes a leaving Machine's Node after the plan, right before the apply", async () => {
    const { deps, calls } = setup("auto", true, "b");
    await reconcileCluster(deps, key);
    expect(calls).toEqual(["writeConfig", "plan", "removeNodes b", "apply"]);
  });

  it("keeps the Node of a Machine whose instance is orphaned on delete (the instance keeps running)", async () => {
    const { deps, calls } = setup("auto", true, "b", { [ON_DELETE_ANNOTATION]: "orphan" });
    await reconcileCluster(deps, key);
    expect(calls).toEqual(["writeConfig", "plan", "apply"]);
  });

  it("without recorded outputs (a new working directory) keeps a running Machine Ready through the pass", async () => {
    const { store, deps } = setup("auto", false);
    const since = "2026-11-30T00:00:00Z";
    const [machine] = store.machines;
    if (!machine) throw new Error("no machine");
    machine.status = {
      providerID: "aws:////i-0aaa",
      conditions: [
        { type: "Ready", status: "True", reason: "InstanceRunning", message: "", lastTransitionTime: since },
      ],
    };
    // No workload cluster here: Ready is about the instance.
    const { workload: _none, ...withoutWorkload } = deps;
    await reconcileCluster(withoutWorkload, key);
    expect(findCondition(store.machines[0]?.status?.conditions, "Ready")).toMatchObject({
      status: "True",
      lastTransitionTime: since,
    });
  });
});
