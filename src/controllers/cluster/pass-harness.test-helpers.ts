import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BOOTSTRAP_ANNOTATION } from "../../bootstrap/index.js";
import { clusterWorkDir } from "../../converge/options.js";
import { StackCache } from "../../converge/stack-cache.js";
import { awsCluster } from "../../model/test-objects.js";
import type { ApplyResult, PlanResult } from "../../terraform/types.js";
import { FakeClusterStore } from "./fake-store.js";
import { CLUSTER_FINALIZER, MACHINE_FINALIZER } from "./names.js";
import type { StackRunner } from "./plan-flow.js";
import type { ClusterReconcilerDeps } from "./reconcile.js";
import { awsMachine, awsOutputs } from "./test-scope.js";

// Whole passes of the cluster reconciler without Terraform or an API server.

export const PASS_KEY = { namespace: "default", name: "demo" };

/**
 * Cluster "demo" (infrastructure only: the bootstrap step has its own
 * tests) with one Machine "a", both carrying their finalizers, in a fresh
 * state directory; a fake runner creates instance i-0aaa for "a". `deps`
 * adds to the reconciler's (workload, timeouts...).
 */
export async function passHarness(options: {
  now: () => Date;
  duringApply?: () => void;
  deps?: Partial<ClusterReconcilerDeps>;
}) {
  const stateDir = await mkdtemp(join(tmpdir(), "cf-pass-"));
  await mkdir(clusterWorkDir(stateDir, PASS_KEY), { recursive: true });
  const cluster = awsCluster("demo", "default");
  cluster.metadata = {
    ...cluster.metadata,
    uid: "uid-1",
    generation: 1,
    finalizers: [CLUSTER_FINALIZER],
    annotations: { [BOOTSTRAP_ANNOTATION]: "disabled" },
  };
  const store = new FakeClusterStore(cluster, [awsMachine("a", { finalizers: [MACHINE_FINALIZER] })]);
  const runner = fakeRunner(clusterWorkDir(stateDir, PASS_KEY), { a: "i-0aaa" }, options.duringApply);
  const deps: ClusterReconcilerDeps = {
    store,
    converge: { stateDir, terraformBin: "/nonexistent/terraform-must-not-run" },
    stacks: new StackCache(),
    runLimit: (task) => task(),
    log: () => {},
    now: options.now,
    driftCheckDue: () => false,
    terraform: () => runner,
    ...options.deps,
  };
  return { store, deps, stateDir };
}

/**
 * A Terraform stand-in for whole-pass unit tests: every plan adds the
 * instances of `instances` (Machine -> instance id), the apply creates them
 * (after `duringApply`, e.g. someone else's edit meanwhile) and the outputs
 * report them.
 */
export function fakeRunner(
  workDir: string,
  instances: Record<string, string>,
  duringApply: () => void = () => {},
): StackRunner {
  const outputs = awsOutputs(instances);
  const count = Object.keys(instances).length;
  const summary = { add: count, change: 0, destroy: 0, replace: 0, import: 0, hasChanges: true };
  const applied = {
    applied: { add: count, change: 0, destroy: 0, import: 0 },
    outputs,
    outputsFromOutputCommand: false,
    diagnostics: [],
  } as unknown as ApplyResult;
  return {
    writeConfig: async () => true,
    plan: async () => {
      // A plan is kept only while its plan file exists.
      const planFile = join(workDir, "tfplan");
      await writeFile(planFile, "plan");
      return {
        planFile,
        summary: { ...summary, changes: [], drift: [], outputChanges: {} },
        diagnostics: [],
        configHash: "h",
      } as unknown as PlanResult;
    },
    show: async () => ({ text: "" }),
    showPlan: async () => ({}),
    applyPlanFile: async () => {
      duringApply();
      return applied;
    },
    applyDirect: async () => {
      duringApply();
      return {
        kind: "applied",
        plan: { ...summary, changes: [], drift: [], outputChanges: {} },
        apply: applied,
      };
    },
    outputs: async () => outputs,
  };
}
