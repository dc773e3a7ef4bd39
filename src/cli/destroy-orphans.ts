import { instanceAddress } from "../../stacks/index.js";
import type { ClusterRun } from "../converge/cluster-run.js";
import type { PlanResult } from "../terraform/types.js";

/**
 * `destroy` keeps the instances of Machines annotated
 * `clusterform.io/on-delete: orphan`: Terraform forgets them (`state rm`)
 * instead. A destroy plan cannot skip resources (it ignores `removed`
 * blocks), so the forget happens after the confirmation and the destroy is
 * planned again; it must then be the confirmed plan minus the kept instances.
 */
export function keptInstances(run: ClusterRun, plan: PlanResult): string[] {
  const { model } = run;
  const planned = new Set(plan.summary.changes.filter((c) => c.action === "delete").map((c) => c.address));
  return model.machines
    .filter((machine) => machine.onDelete === "orphan")
    .map((machine) => instanceAddress(model.provider, machine.name))
    .filter((address) => planned.has(address));
}

/** Forgets the kept instances and re-plans the destroy; throws when the new plan is not the confirmed one. */
export async function forgetKeptInstances(run: ClusterRun, confirmed: PlanResult): Promise<PlanResult> {
  const kept = keptInstances(run, confirmed);
  if (kept.length === 0) return confirmed;
  await run.forget(kept);
  const plan = await run.plan({ destroy: true });
  const expected = destroyedAddresses(confirmed).filter((address) => !kept.includes(address));
  const actual = destroyedAddresses(plan);
  if (expected.join("\n") !== actual.join("\n")) {
    throw new Error(
      `the state changed after the destroy was confirmed (now destroying ${actual.length} resources, ` +
        `${expected.length} confirmed); nothing was destroyed, the kept instances are forgotten: run destroy again`,
    );
  }
  return plan;
}

function destroyedAddresses(plan: PlanResult): string[] {
  return plan.summary.changes
    .filter((c) => c.action === "delete")
    .map((c) => c.address)
    .sort();
}
