import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Machine } from "../../api/machine.js";
import { FakeClusterStore } from "./fake-store.js";
import { machineChangeMatters } from "./machine-predicate.js";
import { computeStatuses, writeStatuses } from "./status.js";
import { awsMachine, awsOutputs, testScope } from "./test-scope.js";
import { validate } from "./validate.js";

type M = Machine & KubernetesObject;
const now = new Date("2026-02-01T00:00:00Z");
const update = (previous: M) => ({ type: "update" as const, previous });

/** A Machine as the server holds it while its instance is created: the Progressing status, no providerID yet. */
const provisioning = (): M => ({ ...(awsMachine("a") as M), status: { phase: "Provisioning" } });
/** The same Machine after an edit of its spec that moved the generation by one. */
const edited = (before: M, spec: Partial<Machine["spec"]>): M => ({
  ...before,
  metadata: { ...before.metadata, generation: (before.metadata.generation ?? 0) + 1, resourceVersion: "9" },
  spec: { ...before.spec, ...spec },
});

/** The store's copy of the Machine right before and right after each write of a whole pass. */
function recordWrites(store: FakeClusterStore) {
  const seen: { write: string; before: M; after: M }[] = [];
  const stored = () => structuredClone(store.machines[0]) as M;
  for (const method of ["patchMachineProviderID", "patchMachineStatus"] as const) {
    const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
    (store as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      const before = stored();
      const result = await original(...args);
      seen.push({ write: method, before, after: stored() });
      return result;
    };
  }
  return seen;
}

describe("machineChangeMatters (the cluster controller's Machine watch)", () => {
  it("drops every event of the pass that creates an instance: the copy lands before the status reports the providerID", async () => {
    const machine = awsMachine("a");
    const store = new FakeClusterStore(testScope([]).cluster, [machine]);
    const seen = recordWrites(store);
    const scope = testScope(await store.listMachines("default", "demo"));
    const validation = validate(scope);
    if (!validation.ok) throw new Error("test scope should be valid");
    scope.model = validation.model;
    // Progressing, before the apply; then the apply's outputs, as the final write of the pass sees them.
    scope.provisioning = new Set(["a"]);
    await writeStatuses(store, computeStatuses(scope, now));
    scope.provisioning = new Set();
    scope.outputs = awsOutputs({ a: "i-0aaa" });
    await writeStatuses(store, computeStatuses(scope, now));
    expect(seen.map((s) => s.write)).toEqual([
      "patchMachineStatus",
      "patchMachineProviderID",
      "patchMachineStatus",
    ]);
    const [, copy, status] = seen;
    expect(copy?.before.status?.providerID).toBeUndefined();
    expect(copy?.after.spec.providerID).toBe("aws:////i-0aaa");
    expect(machineChangeMatters(copy?.after as M, update(copy?.before as M))).toBe(false);
    expect(machineChangeMatters(status?.after as M, update(status?.before as M))).toBe(false);
  });

  it("drops a copy an earlier pass left owed (the status already names that providerID)", () => {
    const before: M = { ...(awsMachine("a") as M), status: { providerID: "aws:////i-1", phase: "Running" } };
    expect(machineChangeMatters(edited(before, { providerID: "aws:////i-1" }), update(before))).toBe(false);
  });

  it("keeps a user's edit: another field with the copy, another value, a Machine nobody provisions, a replaced value", () => {
    const before = provisioning();
    const withSpec = edited(before, { providerID: "aws:////i-1", versions: { kubelet: "1.14.0" } });
    expect(machineChangeMatters(withSpec, update(before))).toBe(true);
    const reported: M = { ...before, status: { providerID: "aws:////i-1", phase: "Running" } };
    expect(machineChangeMatters(edited(reported, { providerID: "aws:////i-other" }), update(reported))).toBe(
      true,
    );
    const pending: M = { ...before, status: { phase: "Pending" } };
    expect(machineChangeMatters(edited(pending, { providerID: "aws:////i-1" }), update(pending))).toBe(true);
    const copied: M = { ...reported, spec: { ...reported.spec, providerID: "aws:////i-0" } };
    expect(machineChangeMatters(edited(copied, { providerID: "aws:////i-1" }), update(copied))).toBe(true);
  });

  it("keeps a providerID that came with a second spec change (the generation moved by two)", () => {
    const before = provisioning();
    const twice = edited(edited(before, {}), { providerID: "aws:////i-1" });
    expect(machineChangeMatters(twice, update(before))).toBe(true);
  });

  it("still drops status-only updates and passes adds", () => {
    const before = provisioning();
    expect(machineChangeMatters({ ...before, status: { phase: "Running" } }, update(before))).toBe(false);
    expect(machineChangeMatters(before, { type: "add" })).toBe(true);
  });
});
