import { describe, expect, it } from "vitest";
import { APPLY_POLICY_ANNOTATION, decideByPolicy, resolveApplyPolicy } from "./apply-policy.js";
import { controlPlaneInstances, singleControlPlaneHold } from "./control-plane-guard.js";
import { applyGuards } from "./guards.js";
import { summaryOf } from "./test-summary.js";

const address = (machine: string) => `aws_instance.machine_${machine}`;
const cp0 = { machine: "cp-0", address: address("cp-0") };
const cp1 = { machine: "cp-1", address: address("cp-1") };

describe("singleControlPlaneHold", () => {
  it("holds a plan that replaces the only control plane, naming the Machine and etcd", () => {
    const hold = singleControlPlaneHold([cp0], [{ address: cp0.address, action: "replace" }]);
    expect(hold?.guard).toBe("single-control-plane");
    expect(hold?.reason).toContain("replaces the instance of Machine cp-0");
    expect(hold?.reason).toContain("would lose etcd");
  });

  it("holds a roll that creates a new control plane and deletes the only running one", () => {
    const hold = singleControlPlaneHold(
      [cp0, cp1],
      [
        { address: cp1.address, action: "create" },
        { address: cp0.address, action: "delete" },
      ],
    );
    expect(hold?.reason).toContain("deletes the instance of Machine cp-0");
  });

  it("lets a plan replace one of several running control planes", () => {
    expect(singleControlPlaneHold([cp0, cp1], [{ address: cp0.address, action: "replace" }])).toBeUndefined();
  });

  it("lets a plan create, update or leave the control plane alone", () => {
    expect(singleControlPlaneHold([cp0], [{ address: cp0.address, action: "create" }])).toBeUndefined();
    expect(singleControlPlaneHold([cp0], [{ address: cp0.address, action: "update" }])).toBeUndefined();
    expect(
      singleControlPlaneHold([cp0], [{ address: address("worker"), action: "replace" }]),
    ).toBeUndefined();
  });

  it.each(["auto", "auto-additive", "manual"])("holds under apply policy %s", (value) => {
    const policy = resolveApplyPolicy({ [APPLY_POLICY_ANNOTATION]: value });
    const plan = summaryOf([{ address: cp0.address, action: "replace" }]);
    const hold = singleControlPlaneHold([cp0], plan.changes);
    const decision = applyGuards(decideByPolicy(policy, plan), policy, hold ? [hold] : []);
    expect(decision).toEqual({ action: "hold", reason: expect.stringContaining("only control plane") });
  });
});

describe("controlPlaneInstances", () => {
  it("counts Machines with a control-plane role and the recorded init machine", () => {
    const machines = [
      { name: "cp-1", role: "control-plane" },
      { name: "worker-0", role: "node" },
    ];
    expect(controlPlaneInstances(machines, address, "cp-0")).toEqual([cp0, cp1]);
  });
});
