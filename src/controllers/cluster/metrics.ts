import type { KubernetesObject } from "@kubernetes/client-node";
import { ConditionType } from "../../api/conditions.js";
import { EventReason } from "../../api/event-reasons.js";
import { ClusterformMetrics, type FleetSnapshot } from "../../metrics/clusterform-metrics.js";
import type { TerraformEvent } from "../../terraform/types.js";
import type { Manager } from "../runtime/manager.js";
import { EventRecorder } from "../shared/events.js";
import { ClusterResource, MachineResource } from "../shared/resources.js";

interface WithPhase extends KubernetesObject {
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

/**
 * clusterform's own metrics, fed by the cluster controller: Terraform runs
 * from the runner's events, drift from the DriftDetected Events it records,
 * the fleet from the manager's caches at scrape time.
 */
export class ClusterControllerMetrics {
  private readonly metrics: ClusterformMetrics;

  constructor(manager: Manager) {
    const clusters = manager.informer<WithPhase>(ClusterResource);
    const machines = manager.informer<WithPhase>(MachineResource);
    // A standby replica holds no caches: it reports no fleet rather than an empty one.
    this.metrics = new ClusterformMetrics(manager.registry, () =>
      manager.isLeader ? fleetOf(clusters.list(), machines.list()) : undefined,
    );
  }

  terraformEvent(event: TerraformEvent): void {
    if (event.type === "run_end")
      this.metrics.terraformRun(event.operation, event.result, event.durationMs / 1000);
  }

  /** An EventRecorder that also counts the DriftDetected Events it records. */
  eventRecorder(manager: Manager, component: string): EventRecorder {
    const metrics = this.metrics;
    return new (class extends EventRecorder {
      override record(...args: Parameters<EventRecorder["record"]>): Promise<void> {
        const [object, , reason] = args;
        if (reason === EventReason.DriftDetected)
          metrics.driftDetected(object.metadata?.namespace ?? "default");
        return super.record(...args);
      }
    })(manager.client, component, manager.logger);
  }
}

export function fleetOf(clusters: readonly WithPhase[], machines: readonly WithPhase[]): FleetSnapshot {
  return {
    clustersByPhase: countByPhase(clusters),
    machinesByPhase: countByPhase(machines),
    // PlanPending=True: a plan is held for an approval (manual or plan-only policy, or it destroys an adopted instance).
    plansPendingApproval: clusters.filter((c) =>
      c.status?.conditions?.some((k) => k.type === ConditionType.PlanPending && k.status === "True"),
    ).length,
  };
}

function countByPhase(objects: readonly WithPhase[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const object of objects) {
    const phase = object.status?.phase || "Unknown";
    counts.set(phase, (counts.get(phase) ?? 0) + 1);
  }
  return counts;
}
