import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { instanceAddress } from "../../stacks/index.js";
import { clusterWorkDir } from "../converge/options.js";
import type { PlanResult } from "../terraform/types.js";
import { initMachineFile } from "./bootstrap/file-layout.js";
import { ExitCode, UsageError } from "./exit.js";
import { type PlanAtRisk, plansAtRisk, refuseUnattendedLoss, riskWarning } from "./guard-consent.js";
import type { PlannedCluster } from "./plan-clusters.js";

const adopted: PlanAtRisk = {
  cluster: "default/adopter",
  guard: "adopted-instance",
  what: [
    "the plan replaces adopted instance i-0aaaaaaaaaaaaaaaa (Machine legacy-0): subnet_id forces replacement",
  ],
};
const controlPlane: PlanAtRisk = {
  cluster: "default/single",
  guard: "single-control-plane",
  what: [
    "the plan replaces the instance of Machine cp-0, the cluster's only control plane: it would lose etcd",
  ],
};

function refusal(
  atRisk: PlanAtRisk[],
  flags: Parameters<typeof refuseUnattendedLoss>[1],
  alreadyApplied: string[] = [],
): UsageError {
  try {
    refuseUnattendedLoss(atRisk, flags, alreadyApplied);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("refuseUnattendedLoss", () => {
  it("refuses --auto-approve with exit code 3, naming the instance and the forcing attribute", () => {
    const error = refusal([adopted], { autoApprove: true });
    expect(error.exitCode).toBe(ExitCode.Declined);
    expect(error.message).toContain(
      "default/adopter: the plan replaces adopted instance i-0aaaaaaaaaaaaaaaa (Machine legacy-0): subnet_id forces replacement",
    );
    expect(error.message).toContain("--allow-replace-adopted");
    expect(error.message).toContain("Nothing was changed.");
  });

  it("names the clusters already applied in one run (they destroyed nothing) instead of 'nothing was changed'", () => {
    const error = refusal([adopted], { autoApprove: true }, ["default/other"]);
    expect(error.message).toContain(
      "Nothing else was changed (applied in one run, nothing destroyed: default/other).",
    );
    expect(error.message).not.toContain("Nothing was changed.");
  });

  it("refuses the loss of the only control plane unless --allow-replace-control-plane is given", () => {
    const error = refusal([controlPlane], { autoApprove: true, allowReplaceAdopted: true });
    expect(error.message).toContain("default/single: the plan replaces the instance of Machine cp-0");
    expect(error.message).toContain("--allow-replace-control-plane");
    expect(error.message).not.toContain("--allow-replace-adopted");
    expect(() =>
      refuseUnattendedLoss([controlPlane], { autoApprove: true, allowReplaceControlPlane: true }),
    ).not.toThrow();
  });

  it("wants each guard's own flag when both object", () => {
    const error = refusal([adopted, controlPlane], { autoApprove: true, allowReplaceControlPlane: true });
    expect(error.message).toContain("--allow-replace-adopted");
    expect(error.message).not.toContain("default/single");
  });

  it("lets it through with the explicit flag, at a prompt, or when nothing is at risk", () => {
    expect(() =>
      refuseUnattendedLoss([adopted], { autoApprove: true, allowReplaceAdopted: true }),
    ).not.toThrow();
    expect(() => refuseUnattendedLoss([adopted, controlPlane], {})).not.toThrow();
    expect(() => refuseUnattendedLoss([], { autoApprove: true })).not.toThrow();
  });
});

describe("riskWarning", () => {
  it("stands out and names every instance, one block per guard", () => {
    const text = riskWarning([adopted, controlPlane]);
    expect(text).toContain("WARNING: adopted instances would be DESTROYED");
    expect(text).toContain("i-0aaaaaaaaaaaaaaaa (Machine legacy-0): subnet_id forces replacement");
    expect(text).toContain("WARNING: the only control plane would be DESTROYED");
    expect(text).toContain("default/single: the plan replaces the instance of Machine cp-0");
  });
});

describe("plansAtRisk", () => {
  // cp-0 ran kubeadm init (recorded by an earlier apply) and has left the files; cp-1 replaces it.
  const cluster = { namespace: "default", name: "single" };
  const planned = {
    run: {
      model: {
        ...cluster,
        provider: "aws",
        machines: [{ name: "cp-1", role: "control-plane" }],
      },
    },
    plan: {
      summary: {
        changes: [
          { address: instanceAddress("aws", "cp-0"), action: "delete" },
          { address: instanceAddress("aws", "cp-1"), action: "create" },
        ],
      },
    } as unknown as PlanResult,
  } as unknown as PlannedCluster;

  it("counts the init machine recorded in the state directory as a control plane, though gone from the files", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "cf-guard-"));
    try {
      expect(await plansAtRisk([planned], stateDir)).toEqual([]);
      const record = initMachineFile(clusterWorkDir(stateDir, cluster));
      await mkdir(dirname(record), { recursive: true });
      await writeFile(record, "cp-0\n");
      const [risk, ...others] = await plansAtRisk([planned], stateDir);
      expect(others).toEqual([]);
      expect(risk).toMatchObject({ cluster: "default/single", guard: "single-control-plane" });
      expect(risk?.what.join()).toContain("deletes the instance of Machine cp-0");
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
