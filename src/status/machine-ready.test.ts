import { describe, expect, it } from "vitest";
import { machineReady } from "./machine-ready.js";

const lost = { instanceId: "i-1", message: "instance i-1 was terminated outside clusterform" };
const create = { action: "create" as const, message: "plan p1 creates its instance once approved" };
const error = { reason: "TerraformFailed", message: "boom", terminal: false };

describe("machineReady (one decision, explicit priority)", () => {
  it("puts a lost instance first, over a held plan, an error and the phase", () => {
    expect(machineReady({ phase: "Running", lost, planNote: create, error })).toEqual({
      status: "False",
      reason: "InstanceTerminated",
      message: lost.message,
    });
  });

  it("puts a held plan that creates the instance over an error", () => {
    expect(machineReady({ phase: "Pending", planNote: create, error })).toMatchObject({
      reason: "PlanPending",
      message: create.message,
    });
  });

  it("lets a held plan that only updates the instance leave Ready to the rest", () => {
    const update = { action: "update" as const, message: "plan p1 updates it" };
    expect(machineReady({ phase: "Running", planNote: update })).toMatchObject({ status: "True" });
    expect(machineReady({ phase: "Running", planNote: update, error })).toMatchObject({
      reason: "TerraformFailed",
    });
  });

  it("falls back to the phase, True only when Running", () => {
    expect(machineReady({ phase: "Running" })).toEqual({ status: "True", reason: "InstanceRunning" });
    expect(machineReady({ phase: "Provisioning" })).toMatchObject({
      status: "False",
      reason: "Provisioning",
    });
    expect(machineReady({ phase: "Deleting" })).toMatchObject({ status: "False", reason: "Deleting" });
    expect(machineReady({ phase: "Pending" })).toMatchObject({ reason: "WaitingForInfrastructure" });
  });
});
