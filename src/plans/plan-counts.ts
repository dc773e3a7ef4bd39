import type { PlanSummary } from "../terraform/types.js";

/** A plan in stable numbers: what `clusterform plan -o json` and the controller's export print. */
export interface PlanCounts {
  hasChanges: boolean;
  add: number;
  change: number;
  destroy: number;
  replace: number;
  import: number;
  /** Sorted by address: Terraform streams changes in the order it plans them, which varies run to run. */
  changes: { address: string; action: string }[];
}

export function planCounts(summary: PlanSummary): PlanCounts {
  return {
    hasChanges: summary.hasChanges,
    add: summary.add,
    change: summary.change,
    destroy: summary.destroy,
    replace: summary.replace,
    import: summary.import,
    changes: summary.changes
      .map((c) => ({ address: c.address, action: c.action }))
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
  };
}
