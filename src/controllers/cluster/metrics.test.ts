import { describe, expect, it } from "vitest";
import { fleetOf } from "./metrics.js";

const pending = (status: "True" | "False") => ({ conditions: [{ type: "PlanPending", status }] });

describe("fleetOf", () => {
  it("counts Clusters and Machines by phase (Unknown before any) and Clusters holding a plan", () => {
    const fleet = fleetOf(
      [
        { status: { phase: "Provisioned", ...pending("True") } },
        { status: { phase: "Provisioned", ...pending("False") } },
        {},
      ],
      [
        { status: { phase: "Running" } },
        { status: { phase: "Running" } },
        { status: { phase: "Provisioning" } },
      ],
    );
    expect(Object.fromEntries(fleet.clustersByPhase)).toEqual({ Provisioned: 2, Unknown: 1 });
    expect(Object.fromEntries(fleet.machinesByPhase)).toEqual({ Running: 2, Provisioning: 1 });
    expect(fleet.plansPendingApproval).toBe(1);
  });
});
