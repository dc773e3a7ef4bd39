import { rm } from "node:fs/promises";
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { findCondition } from "../../api/conditions.js";
import { type ApiClient, ApiError } from "../runtime/api-client.js";
import type { EventRecorder } from "../shared/events.js";
import { KubeClusterStore } from "./kube-store.js";
import { PASS_KEY, passHarness } from "./pass-harness.test-helpers.js";
import { reconcileCluster } from "./reconcile.js";
import { PROVIDER_ID_COPY_RETRY_MS } from "./status.js";
import { awsMachine } from "./test-scope.js";

const now = new Date("2026-12-01T10:00:00Z");

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
  let stateDir: string;
  afterEach(() => rm(stateDir, { recursive: true, force: true }));

  it("is never marked observed by the pass that did not see it; the next pass, soon, copies and observes", async () => {
    let edited = false;
    const harness = await passHarness({
      now: () => now,
      // Someone else's edit of the Machine's spec while the apply runs (once).
      duringApply: () => {
        if (!edited) harness.store.editMachineSpec("a", { versions: { kubelet: "1.14.0" } });
        edited = true;
      },
    });
    ({ stateDir } = harness);
    const { store, deps } = harness;
    const result = await reconcileCluster(deps, PASS_KEY);
    let [machine] = store.machines;
    // The user's generation (2) stands; the copy did not ride on it.
    expect(machine?.metadata.generation).toBe(2);
    expect(machine?.spec.providerID).toBeUndefined();
    expect(machine?.status?.providerID).toBe("aws:////i-0aaa");
    expect(machine?.status?.observedGeneration).toBe(1);
    expect(findCondition(machine?.status?.conditions, "Ready")?.observedGeneration).toBe(1);
    expect(result.requeueAfterMs).toBe(PROVIDER_ID_COPY_RETRY_MS);

    await reconcileCluster(deps, PASS_KEY);
    [machine] = store.machines;
    expect(machine?.spec.providerID).toBe("aws:////i-0aaa");
    expect(machine?.metadata.generation).toBe(3);
    expect(machine?.status?.observedGeneration).toBe(3);
  }, 60_000); // whole passes: the first synthesis loads cdktf (seconds on a busy machine)
});
