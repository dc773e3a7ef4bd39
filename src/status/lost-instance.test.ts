import { describe, expect, it } from "vitest";
import { withInstancesTerminated } from "./lost-instance.js";
import { observeStack } from "./outputs.js";

const lost = (instanceId: string) => new Map([["w1", { instanceId, message: "gone" }]]);

describe("withInstancesTerminated", () => {
  it("marks a lost vSphere VM (by uuid) as terminated, so it is observed as not running", () => {
    const outputs = {
      machines: { value: { w1: { uuid: "4201-aa", default_ip: "10.0.0.5", moid: "vm-1" } } },
    };
    const observed = observeStack("vsphere", withInstancesTerminated(outputs, lost("4201-aa")));
    expect(observed.machines.get("w1")?.instanceState).toBe("terminated");
    expect(observeStack("vsphere", outputs).machines.get("w1")?.instanceState).toBe("running");
  });

  it("leaves an entry that names another instance (a new one recorded since) untouched", () => {
    const outputs = { machines: { value: { w1: { instance_id: "i-new", state: "running" } } } };
    expect(withInstancesTerminated(outputs, lost("i-old"))).toEqual(outputs);
  });
});
