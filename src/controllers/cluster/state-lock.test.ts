import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ClusterStatus } from "../../api/cluster.js";
import { findCondition } from "../../api/conditions.js";
import type { StateLockObservation } from "../../status/observations.js";
import { StateLockedError } from "../../terraform/errors.js";
import { withStateLockRecovery } from "./state-lock.js";
import { computeStatuses } from "./status.js";
import type { ClusterStore } from "./store.js";
import { testScope } from "./test-scope.js";

const now = new Date("2026-11-28T09:00:00Z");

function pipelineLock(): StateLockedError {
  return new StateLockedError("plan", "/w", [], 1, "lock-1", "ci@runner-7", {
    id: "lock-1",
    who: "ci@runner-7",
    operation: "OperationTypeApply",
    created: "2026-11-28T08:55:00.000Z",
  });
}

function context() {
  const events: string[] = [];
  const store = {
    event: async (_object: unknown, type: string, reason: string, message: string) => {
      events.push(`${type} ${reason} ${message}`);
    },
  } as unknown as ClusterStore;
  return { events, context: { store, converge: { stateDir: tmpdir() }, now: () => now } };
}

describe("withStateLockRecovery", () => {
  it("never forces a pipeline's lock: rethrows it and says who holds it and how to unlock by hand", async () => {
    const { events, context: ctx } = context();
    const scope = testScope([], { workDir: mkdtempSync(join(tmpdir(), "cf-state-lock-")) });
    let attempts = 0;
    const task = async () => {
      attempts++;
      throw pipelineLock();
    };
    await expect(withStateLockRecovery(ctx, scope, task, () => true)).rejects.toBeInstanceOf(
      StateLockedError,
    );
    expect(attempts).toBe(1);
    expect(events).toEqual([]);
    expect(scope.stateLock).toMatchObject({ locked: true });
    const message = scope.stateLock?.locked ? scope.stateLock.message : "";
    expect(message).toContain("ci@runner-7 (OperationTypeApply) since 2026-11-28T08:55:00.000Z");
    expect(message).toContain("terraform force-unlock lock-1");
    expect(message).toContain("not by");
  });

  it("records that the lock was acquired once Terraform ran", async () => {
    const { context: ctx } = context();
    const scope = testScope([]);
    expect(
      await withStateLockRecovery(
        ctx,
        scope,
        async () => "planned",
        () => true,
      ),
    ).toBe("planned");
    expect(scope.stateLock).toEqual({ locked: false });
    const idle = testScope([]);
    await withStateLockRecovery(
      ctx,
      idle,
      async () => "idle",
      () => false,
    );
    expect(idle.stateLock).toBeUndefined();
  });
});

describe("the StateLocked condition (composed with the pass's statuses)", () => {
  const status: ClusterStatus = { conditions: [] };
  const statusWith = (previous: ClusterStatus, stateLock?: StateLockObservation): ClusterStatus => {
    const scope = testScope([], stateLock ? { stateLock } : {});
    scope.cluster.status = previous;
    return computeStatuses(scope, now).cluster.status;
  };

  it("sets StateLocked=True with the message while locked out, and False once a run got the lock", () => {
    const locked = statusWith(status, { locked: true, message: "held by ci@runner-7" });
    expect(findCondition(locked.conditions, "StateLocked")).toMatchObject({
      status: "True",
      reason: "StateLocked",
      message: "held by ci@runner-7",
    });
    const acquired = statusWith(locked, { locked: false });
    expect(findCondition(acquired.conditions, "StateLocked")).toMatchObject({
      status: "False",
      reason: "StateLockAcquired",
    });
  });

  it("adds nothing to a cluster that was never locked out, and leaves the condition alone when no run tried", () => {
    const unlocked = statusWith(status, { locked: false });
    expect(findCondition(unlocked.conditions, "StateLocked")).toBeUndefined();
    const locked = statusWith(status, { locked: true, message: "m" });
    const untouched = statusWith(locked);
    expect(findCondition(untouched.conditions, "StateLocked")).toEqual(
      findCondition(locked.conditions, "StateLocked"),
    );
  });
});
