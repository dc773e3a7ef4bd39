import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findCondition } from "../../api/conditions.js";
import { BOOTSTRAP_ANNOTATION } from "../../bootstrap/index.js";
import { clusterWorkDir } from "../../converge/options.js";
import { StackCache } from "../../converge/stack-cache.js";
import { awsCluster } from "../../model/test-objects.js";
import { type ApiClient, ApiError } from "../runtime/api-client.js";
import type { EventRecorder } from "../shared/events.js";
import { fakeRunner } from "./fake-runner.test-helpers.js";
import { FakeClusterStore } from "./fake-store.js";
import { KubeClusterStore } from "./kube-store.js";
import { CLUSTER_FINALIZER, MACHINE_FINALIZER } from "./names.js";
import { reconcileCluster } from "./reconcile.js";
import { PROVIDER_ID_COPY_RETRY_MS } from "./status.js";
import { awsMachine } from "./test-scope.js";

const key = { namespace: "default", name: "demo" };
const now = new Date("2026-12-01T10:00:00Z");
let stateDir: string;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "cf-copy-"));
  await mkdir(clusterWorkDir(stateDir, key), { recursive: true });
});
afterEach(() => rm(stateDir, { recursive: true, force: true }));

describe("the providerID copy (KubeClusterStore)", () => {
  const machine = () => {
    const m = awsMachine("a");
    m.metadata.resourceVersion = "7";
    return m;
  };
  const storeAnswering = (answer: (body: unknown) => KubernetesObject) => {
    const bodies: unknown[] = [];
    const client = {
      patch: async (_r: unknown, _ns: unknown, _name: unknown, _type: unknown, body: unknown) => {
        bodies.push(body);
        return answer(body);
      },
    } as unknown as ApiClient;
    return { store: new KubeClusterStore(client, {} as EventRecorder), bodies };
  };

  it("carries the resourceVersion read, and takes the server's generation when it lands", async () => {
    const { store, bodies } = storeAnswering(() => ({ metadata: { resourceVersion: "8", generation: 2 } }));
    const m = machine();
    expect(await store.patchMachineProviderID(m, "aws:////i-1")).toBe(true);
    expect(bodies).toEqual([{ metadata: { resourceVersion: "7" }, spec: { providerID: "aws:////i-1" } }]);
    expect(m.metadata).toMatchObject({ resourceVersion: "8", generation: 2 });
  });

  it("writes nothing on a conflict (someone changed the Machine) and keeps the generation the pass read", async () => {
    const { store } = storeAnswering(() => {
      throw new ApiError(409, "Conflict", "the object has been modified");
    });
    const m = machine();
    expect(await store.patchMachineProviderID(m, "aws:////i-1")).toBe(false);
    expect(m.metadata).toMatchObject({ resourceVersion: "7", generation: 1 });
  });
});

describe("a spec edit during the apply that creates the instance", () => {
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
    let edited = false;
    const edit = () => {
      if (!edited) store.editMachineSpec("a", { versions: { kubelet: "1.14.0" } });
      edited = true;
    };
    const runner = fakeRunner(clusterWorkDir(stateDir, key), { a: "i-0aaa" }, edit);
    const deps = {
      store,
      converge: { stateDir, terraformBin: "/nonexistent/terraform-must-not-run" },
      stacks: new StackCache(),
      runLimit: <T>(task: () => Promise<T>) => task(),
      log: () => {},
      now: () => now,
      driftCheckDue: () => false,
      terraform: () => runner,
    };
    return { store, deps };
  }

  it("is never marked observed by the pass that did not see it; the next pass, soon, copies and observes", async () => {
    const { store, deps } = setup();
    const result = await reconcileCluster(deps, key);
    let [machine] = store.machines;
    // The user's generation (2) stands; the copy did not ride on it.
    expect(machine?.metadata.generation).toBe(2);
    expect(machine?.spec.providerID).toBeUndefined();
    expect(machine?.status?.providerID).toBe("aws:////i-0aaa");
    expect(machine?.status?.observedGeneration).toBe(1);
    expect(findCondition(machine?.status?.conditions, "Ready")?.observedGeneration).toBe(1);
    expect(result.requeueAfterMs).toBe(PROVIDER_ID_COPY_RETRY_MS);

    await reconcileCluster(deps, key);
    [machine] = store.machines;
    expect(machine?.spec.providerID).toBe("aws:////i-0aaa");
    expect(machine?.metadata.generation).toBe(3);
    expect(machine?.status?.observedGeneration).toBe(3);
  }, 60_000); // whole passes: the first synthesis loads cdktf (seconds on a busy machine)
});
