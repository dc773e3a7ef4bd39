import type { PlanSummary, ResourceChangeRef } from "../terraform/types.js";

/** A PlanSummary for unit tests, counts derived from the changes like Terraform's "Plan:" line. */
export function summaryOf(changes: ResourceChangeRef[], drift: ResourceChangeRef[] = []): PlanSummary {
  const count = (action: string) => changes.filter((c) => c.action === action).length;
  const replace = count("replace");
  return {
    add: count("create") + replace,
    change: count("update"),
    destroy: count("delete") + replace,
    replace,
    import: 0,
    hasChanges: changes.length > 0,
    changes,
    drift,
    outputChanges: {},
  };
}
