import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ApplyResult, PlanResult } from "../../terraform/types.js";
import type { StackRunner } from "./plan-flow.js";
import { awsOutputs } from "./test-scope.js";

/**
 * A Terraform stand-in for whole-pass unit tests: every plan adds the
 * instances of `instances` (Machine -> instance id), the apply creates them
 * (after `duringApply`, e.g. someone else's edit meanwhile) and the outputs
 * report them.
 */
export function fakeRunner(
  workDir: string,
  instances: Record<string, string>,
  duringApply: () => void = () => {},
): StackRunner {
  const outputs = awsOutputs(instances);
  const count = Object.keys(instances).length;
  return {
    writeConfig: async () => true,
    plan: async () => {
      // A plan is kept only while its plan file exists.
      const planFile = join(workDir, "tfplan");
      await writeFile(planFile, "plan");
      const summary = { add: count, change: 0, destroy: 0, replace: 0, import: 0, hasChanges: true };
      return {
        planFile,
        summary: { ...summary, changes: [], drift: [], outputChanges: {} },
        diagnostics: [],
        configHash: "h",
      } as unknown as PlanResult;
    },
    show: async () => ({ text: "" }),
    showPlan: async () => ({}),
    applyPlanFile: async () => {
      duringApply();
      return {
        applied: { add: count, change: 0, destroy: 0, import: 0 },
        outputs,
        outputsFromOutputCommand: false,
        diagnostics: [],
      } as unknown as ApplyResult;
    },
    outputs: async () => outputs,
  };
}
