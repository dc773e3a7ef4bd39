import { describe, expect, it } from "vitest";
import type { Machine } from "../../api/machine.js";
import type { MachineSet } from "../../api/machine-set.js";
import { claimMachines } from "./claim.js";
import { computeSetStatus } from "./status.js";

const set = {
  apiVersion: "cluster.k8s.io/v1alpha1",
  kind: "MachineSet",
  metadata: { name: "workers", namespace: "ns", uid: "set-uid", generation: 4 },
  spec: {
    replicas: 3,
    minReadySeconds: 10,
    selector: { matchLabels: { pool: "workers" } },
    template: { metadata: { labels: { pool: "workers", tier: "a" } } },
  },
} as MachineSet;

function machine(
  name: string,
  labels: Record<string, string>,
  extra: Partial<Machine["metadata"]> = {},
  ready?: string,
) {
  return {
    apiVersion: "cluster.k8s.io/v1alpha1",
    kind: "Machine",
    metadata: { name, namespace: "ns", labels, ...extra },
    spec: { providerSpec: {} },
    ...(ready
      ? { status: { conditions: [{ type: "Ready", status: "True", lastTransitionTime: ready }] } }
      : {}),
  } as Machine;
}
const ownedBy = (uid: string) => ({
  ownerReferences: [
    { apiVersion: "cluster.k8s.io/v1alpha1", kind: "MachineSet", name: "x", uid, controller: true },
  ],
});

describe("claimMachines", () => {
  it("sorts Machines into active, deleting, to adopt and to release", () => {
    const claim = claimMachines(set, [
      machine("mine", { pool: "workers" }, ownedBy("set-uid")),
      machine(
        "mine-going",
        { pool: "workers" },
        { ...ownedBy("set-uid"), deletionTimestamp: "2026-01-01T00:00:00Z" },
      ),
      machine("relabelled", { pool: "other" }, ownedBy("set-uid")),
      machine("orphan", { pool: "workers" }),
      machine("orphan-elsewhere", { pool: "workers" }, { namespace: "other" }),
      machine("someone-elses", { pool: "workers" }, ownedBy("other-uid")),
      machine("unrelated", { pool: "other" }),
    ]);
    const names = (list: Machine[]) => list.map((m) => m.metadata.name);
    expect(names(claim.active)).toEqual(["mine"]);
    expect(names(claim.deleting)).toEqual(["mine-going"]);
    expect(names(claim.release)).toEqual(["relabelled"]);
    expect(names(claim.adopt)).toEqual(["orphan"]);
  });
});

describe("computeSetStatus", () => {
  it("counts fully labelled, Ready and available (Ready for minReadySeconds) Machines, and says when to look again", () => {
    const now = new Date("2026-01-01T00:01:00Z");
    const { status, recheckAfterMs } = computeSetStatus(
      set,
      [
        machine("a", { pool: "workers", tier: "a" }, {}, "2026-01-01T00:00:00Z"),
        machine("b", { pool: "workers" }, {}, "2026-01-01T00:00:56Z"),
        machine("c", { pool: "workers", tier: "a" }),
      ],
      now,
    );
    expect(status).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 1,
      observedGeneration: 4,
      selector: "pool=workers",
    });
    expect(recheckAfterMs).toBeGreaterThanOrEqual(6_000);
    expect(recheckAfterMs).toBeLessThan(6_500);
  });
});
