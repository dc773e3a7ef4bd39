import { describe, expect, it } from "vitest";
import {
  newSetReplicas,
  oldSetsReplicas,
  pausedReplicas,
  resolveFenceposts,
  resolveIntOrPercent,
  type SetCounts,
} from "./rolling.js";

const set = (name: string, replicas: number, available = replicas, machines = replicas): SetCounts => ({
  name,
  replicas,
  available,
  machines,
});

describe("resolveFenceposts", () => {
  it("rounds surge up and unavailable down for percentages", () => {
    expect(resolveFenceposts({ maxSurge: "25%", maxUnavailable: "25%" }, 5)).toEqual({
      maxSurge: 2,
      maxUnavailable: 1,
    });
  });

  it("defaults to surge 1, unavailable 0", () => {
    expect(resolveFenceposts(undefined, 3)).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  it("makes unavailable 1 when both come out 0", () => {
    expect(resolveFenceposts({ maxSurge: 0, maxUnavailable: "10%" }, 3)).toEqual({
      maxSurge: 0,
      maxUnavailable: 1,
    });
  });

  it("accepts integers as strings and refuses other text, naming the field", () => {
    expect(resolveIntOrPercent("2", 10, true, 1, "f")).toBe(2);
    expect(() => resolveFenceposts({ maxSurge: "lots" }, 3)).toThrow(/maxSurge: "lots"/);
  });
});

describe("newSetReplicas", () => {
  it("grows the new set only within desired + maxSurge, counting Machines still being deleted", () => {
    const fresh = set("new", 0);
    expect(newSetReplicas(3, fresh, [set("old", 3), fresh], 1)).toBe(1);
    expect(newSetReplicas(3, fresh, [set("old", 2, 2, 3), fresh], 1)).toBe(1);
    expect(newSetReplicas(3, fresh, [set("old", 2, 2, 4), fresh], 1)).toBe(0);
  });

  it("goes straight to desired when there is nothing else, and down to desired when above it", () => {
    const fresh = set("new", 0);
    expect(newSetReplicas(4, fresh, [fresh], 1)).toBe(4);
    expect(newSetReplicas(2, set("new", 5), [set("new", 5)], 1)).toBe(2);
  });
});

describe("oldSetsReplicas", () => {
  it("scales old sets down only as far as keeps desired - maxUnavailable available", () => {
    // 3 desired, surge 1 / unavailable 0: new set has 1 Machine, not yet available.
    expect(oldSetsReplicas(3, set("new", 1, 0), [set("old", 3)], 0)).toEqual(new Map());
    // Once it is available, one old Machine may go.
    expect(oldSetsReplicas(3, set("new", 1, 1), [set("old", 3)], 0)).toEqual(new Map([["old", 2]]));
  });

  it("sheds unavailable old Machines first and scales the oldest set first", () => {
    const changes = oldSetsReplicas(4, set("new", 2, 2), [set("oldest", 2, 2), set("older", 2, 0)], 1);
    // Budget: 6 total - 3 minAvailable - 0 new unavailable = 3; "older"'s 2 unavailable go first,
    // then 4 available - 3 min = 1 more from the oldest.
    expect(changes).toEqual(
      new Map([
        ["oldest", 1],
        ["older", 0],
      ]),
    );
  });

  it("never leaves fewer than desired - maxUnavailable available across a whole rollout", () => {
    for (const [desired, surge, unavailable] of [
      [3, 1, 0],
      [5, 2, 1],
      [4, 0, 1],
      [6, 3, 2],
    ] as const) {
      let old = set("old", desired);
      let fresh = set("new", 0);
      for (let step = 0; step < 50 && (old.replicas > 0 || fresh.available < desired); step++) {
        fresh = { ...fresh, replicas: newSetReplicas(desired, fresh, [old, fresh], surge) };
        fresh.machines = fresh.replicas;
        expect(old.machines + fresh.machines).toBeLessThanOrEqual(desired + surge);
        const next = oldSetsReplicas(desired, fresh, [old], unavailable).get("old");
        if (next !== undefined) old = set("old", next);
        expect(old.available + fresh.available).toBeGreaterThanOrEqual(desired - unavailable);
        fresh = { ...fresh, available: fresh.replicas }; // the infrastructure makes new Machines Ready
      }
      expect({ old: old.replicas, fresh: fresh.available }).toEqual({ old: 0, fresh: desired });
    }
  });
});

describe("pausedReplicas", () => {
  it("adds to the newest set and removes from the newest first", () => {
    expect(pausedReplicas(5, [set("b", 2), set("a", 1)])).toEqual(new Map([["b", 4]]));
    expect(pausedReplicas(1, [set("b", 2), set("a", 2)])).toEqual(
      new Map([
        ["b", 0],
        ["a", 1],
      ]),
    );
    expect(pausedReplicas(4, [set("b", 2), set("a", 2)])).toEqual(new Map());
  });
});
