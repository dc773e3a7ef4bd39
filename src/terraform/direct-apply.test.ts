import { describe, expect, it } from "vitest";
import {
  configResourceAddresses,
  destroyGuard,
  splitPlanFromApply,
  stateResourceAddresses,
} from "./direct-apply.js";
import { parseUiLine } from "./ui-stream.js";

const config = {
  resource: {
    aws_vpc: { main: { cidr_block: "10.0.0.0/16" } },
    aws_instance: { a: { ami: "ami-1", lifecycle: { ignore_changes: ["user_data"] } }, b: { ami: "ami-1" } },
  },
  data: { aws_ami: { ubuntu: {} } },
};

describe("the destroy guard", () => {
  it("gives every managed resource (not data sources) prevent_destroy, and nothing else", () => {
    expect(configResourceAddresses(config)).toEqual(["aws_instance.a", "aws_instance.b", "aws_vpc.main"]);
    expect(destroyGuard(config)).toEqual({
      resource: {
        aws_instance: {
          a: { lifecycle: { prevent_destroy: true } },
          b: { lifecycle: { prevent_destroy: true } },
        },
        aws_vpc: { main: { lifecycle: { prevent_destroy: true } } },
      },
    });
  });

  it("reads a state's managed resources; an empty state holds none, an unreadable one is unknown", () => {
    const state = JSON.stringify({
      resources: [
        { mode: "managed", type: "aws_instance", name: "a", instances: [{}, {}] },
        { mode: "data", type: "aws_ami", name: "ubuntu" },
        { mode: "managed", module: "module.net", type: "aws_vpc", name: "main" },
      ],
    });
    expect(stateResourceAddresses(state)).toEqual(["aws_instance.a", "module.net.aws_vpc.main"]);
    expect(stateResourceAddresses("")).toEqual([]);
    expect(stateResourceAddresses("{not json")).toBeUndefined();
  });
});

describe("splitPlanFromApply", () => {
  const line = (o: object) => parseUiLine(JSON.stringify(o));
  it("ends the plan's events where the first resource operation begins", () => {
    const events = [
      line({ type: "planned_change", change: { resource: { addr: "aws_vpc.main" }, action: "create" } }),
      line({ type: "change_summary", changes: { add: 1, operation: "plan" } }),
      line({ type: "outputs", outputs: {} }),
      line({ type: "apply_start", hook: { resource: { addr: "aws_vpc.main" }, action: "create" } }),
      line({ type: "change_summary", changes: { add: 1, operation: "apply" } }),
    ].filter((e) => e !== undefined);
    const { planEvents, applyEvents } = splitPlanFromApply(events);
    expect(planEvents.map((e) => e.type)).toEqual(["planned_change", "change_summary", "outputs"]);
    expect(applyEvents.map((e) => e.type)).toEqual(["apply_start", "change_summary"]);
  });

  it("with nothing to apply, the apply part starts at the apply's summary", () => {
    const events = [
      line({ type: "change_summary", changes: { operation: "plan" } }),
      line({ type: "change_summary", changes: { operation: "apply" } }),
    ].filter((e) => e !== undefined);
    expect(splitPlanFromApply(events).applyEvents).toHaveLength(1);
  });
});
