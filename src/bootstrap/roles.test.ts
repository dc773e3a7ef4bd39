import { describe, expect, it } from "vitest";
import { assignRoles, chooseInitMachine, isControlPlaneMachine } from "./roles.js";
import { versionedMachine } from "./test-support.js";

const cp = (name: string) => versionedMachine(name, "1.13.6", "1.13.6");
const worker = (name: string) => versionedMachine(name, "1.13.6");

describe("bootstrap roles", () => {
  it("treats a Machine with versions.controlPlane as a control-plane machine (v1alpha1's rule)", () => {
    expect(isControlPlaneMachine(cp("a"))).toBe(true);
    expect(isControlPlaneMachine(worker("a"))).toBe(false);
    expect(isControlPlaneMachine(versionedMachine("a", "1.13.6", ""))).toBe(false);
  });

  it("picks the first control-plane Machine by name as the init machine", () => {
    const machines = [worker("a-worker"), cp("cp-2"), cp("cp-10"), cp("cp-1")];
    expect(chooseInitMachine(machines)).toBe("cp-1");
    const { roles, initMachine, missingControlPlane } = assignRoles(machines);
    expect(initMachine).toBe("cp-1");
    expect(missingControlPlane).toBe(false);
    expect(Object.fromEntries(roles)).toEqual({
      "a-worker": "worker-join",
      "cp-2": "control-plane-join",
      "cp-10": "control-plane-join",
      "cp-1": "init",
    });
  });

  it("keeps a recorded init machine even when another control plane now sorts first", () => {
    const machines = [cp("cp-0"), cp("cp-1")];
    const { roles } = assignRoles(machines, "cp-1");
    expect(roles.get("cp-1")).toBe("init");
    expect(roles.get("cp-0")).toBe("control-plane-join");
  });

  it("makes everyone join once the recorded init machine is gone", () => {
    const { roles, initMachine, missingControlPlane } = assignRoles([cp("cp-2"), worker("w")], "cp-1");
    expect(initMachine).toBe("cp-1");
    expect(missingControlPlane).toBe(false);
    expect([...roles.values()]).toEqual(["control-plane-join", "worker-join"]);
  });

  it("reports Machines without any control plane instead of picking a worker", () => {
    const result = assignRoles([worker("w1"), worker("w2")]);
    expect(result.initMachine).toBeUndefined();
    expect(result.missingControlPlane).toBe(true);
    expect(assignRoles([]).missingControlPlane).toBe(false);
  });
});
