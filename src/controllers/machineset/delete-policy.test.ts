import { describe, expect, it } from "vitest";
import type { Machine } from "../../api/machine.js";
import { DELETE_MACHINE_ANNOTATION } from "../shared/machines.js";
import { machinesToDelete } from "./delete-policy.js";

function machine(
  name: string,
  created: string,
  extra: { annotated?: boolean; ready?: boolean; failed?: boolean } = {},
) {
  const ready = extra.ready ?? true;
  return {
    apiVersion: "cluster.k8s.io/v1alpha1",
    kind: "Machine",
    metadata: {
      name,
      creationTimestamp: created,
      ...(extra.annotated ? { annotations: { [DELETE_MACHINE_ANNOTATION]: "yes" } } : {}),
    },
    spec: { providerSpec: {} },
    status: {
      conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
      ...(extra.failed ? { errorReason: "InvalidConfiguration" } : {}),
    },
  } as Machine;
}

const old = machine("old", "2026-01-01T00:00:00Z");
const middle = machine("middle", "2026-02-01T00:00:00Z");
const young = machine("young", "2026-03-01T00:00:00Z");
const names = (list: Machine[]) => list.map((m) => m.metadata.name);

describe("machinesToDelete", () => {
  it("Newest removes the most recently created first", () => {
    expect(names(machinesToDelete([old, young, middle], 2, "Newest"))).toEqual(["young", "middle"]);
  });

  it("Oldest removes the earliest created first", () => {
    expect(names(machinesToDelete([young, middle, old], 2, "Oldest"))).toEqual(["old", "middle"]);
  });

  it("Random follows the dice, and defaults when no policy is set", () => {
    const dice = [0.9, 0.1, 0.5];
    let index = 0;
    const chosen = machinesToDelete([old, middle, young], 1, undefined, () => dice[index++] ?? 0);
    expect(names(chosen)).toEqual(["middle"]);
  });

  it("takes annotated Machines first whatever the policy, then failed, then not Ready ones", () => {
    const annotated = machine("annotated", "2026-01-15T00:00:00Z", { annotated: true });
    const failed = machine("failed", "2026-01-20T00:00:00Z", { failed: true });
    const unready = machine("unready", "2026-01-10T00:00:00Z", { ready: false });
    const all = [young, unready, failed, old, annotated];
    expect(names(machinesToDelete(all, 3, "Newest"))).toEqual(["annotated", "failed", "unready"]);
    expect(names(machinesToDelete(all, 4, "Oldest"))).toEqual(["annotated", "failed", "unready", "old"]);
  });

  it("deletes nothing for a zero or negative count", () => {
    expect(machinesToDelete([old], 0, "Oldest")).toEqual([]);
    expect(machinesToDelete([old], -1, "Oldest")).toEqual([]);
  });
});
