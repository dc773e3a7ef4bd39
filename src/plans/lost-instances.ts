import type { ChangeAction } from "../terraform/types.js";

/**
 * Machines whose instance is gone from the cloud although the last apply
 * recorded one (terminated or deleted out of band): the refresh found it
 * deleted, or the plan creates it anew. A Machine whose recorded instance
 * merely changes (update, replace) is not lost: it still runs until the apply.
 *
 * `recorded`: Machine name -> instance id in the last apply's outputs;
 * `actions`: Machine name -> what the drift check or the held plan does to
 * its instance resource.
 */
export function lostInstanceIds(
  recorded: ReadonlyMap<string, string>,
  actions: ReadonlyMap<string, ChangeAction>,
): Map<string, string> {
  const lost = new Map<string, string>();
  for (const [name, action] of actions) {
    const instanceId = recorded.get(name);
    if (instanceId && (action === "delete" || action === "create")) lost.set(name, instanceId);
  }
  return lost;
}

/** What happens next to a lost instance, for its Machine's Ready message. */
export type LostInstanceOutlook =
  /** No plan holds it: the drift check's plan creates it anew (applied at once under auto policies). */
  | { kind: "correcting" }
  /** A held plan creates it anew once approved. */
  | { kind: "held"; planId: string; approveCommand: string }
  /** plan-only keeps a plan that would create it; nothing applies it here. */
  | { kind: "plan-only"; planId: string };

export function describeLostInstance(instanceId: string, outlook: LostInstanceOutlook): string {
  const lost = `instance ${instanceId} was terminated or deleted outside Terraform`;
  switch (outlook.kind) {
    case "correcting":
      return `${lost}; the drift check's plan creates it anew (at once under apply policy auto or auto-additive, otherwise once approved)`;
    case "held":
      return `${lost}; waiting for approval of plan ${outlook.planId}, which creates it anew: ${outlook.approveCommand}`;
    case "plan-only":
      return `${lost}; plan ${outlook.planId} would create it anew, but apply policy plan-only never applies it`;
  }
}
