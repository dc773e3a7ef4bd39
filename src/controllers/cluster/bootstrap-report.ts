import { CONTROL_PLANE_ENDPOINT_OUTPUT } from "../../../stacks/index.js";
import { findCondition } from "../../api/conditions.js";
import { EventReason } from "../../api/event-reasons.js";
import { Reason } from "../../api/reasons.js";
import { kubeconfigToIssue } from "../../bootstrap/index.js";
import { bootstrapCondition } from "../../status/bootstrap-condition.js";
import { SecretBootstrapStore } from "./bootstrap-secrets.js";
import type { ClusterScope } from "./scope.js";
import { bootstrapObservation } from "./status.js";
import type { ClusterStore } from "./store.js";

/**
 * One Warning Event per new bootstrap problem (no control plane, a warning
 * such as vSphere's endpoint fallback), not one per pass: compared with the
 * Bootstrap condition the Cluster already shows.
 */
export async function reportBootstrap(store: ClusterStore, scope: ClusterScope): Promise<void> {
  const observed = bootstrapObservation(scope).bootstrap;
  if (!observed) return;
  const condition = bootstrapCondition(observed);
  const reason =
    condition.reason === Reason.NoControlPlane
      ? EventReason.NoControlPlane
      : condition.reason === Reason.BootstrapWarnings
        ? EventReason.BootstrapWarning
        : undefined;
  if (!reason) return;
  const shown = findCondition(scope.cluster.status?.conditions, condition.type);
  if (shown?.reason === condition.reason && shown.message === condition.message) return;
  await store.event(scope.cluster, "Warning", reason, condition.message ?? "");
}

/**
 * After the stack has an API endpoint (Terraform output
 * `control_plane_endpoint`): Secret `<cluster>-kubeconfig` is written when
 * missing, when the endpoint or CA changed, or at half the client
 * certificate's life. Its content never leaves the Secret.
 */
export async function issueKubeconfig(store: ClusterStore, scope: ClusterScope, now: Date): Promise<void> {
  const observed = scope.bootstrap;
  const endpoint = scope.outputs?.[CONTROL_PLANE_ENDPOINT_OUTPUT]?.value;
  if (observed?.state !== "ready" || !observed.ca || typeof endpoint !== "string" || endpoint === "") return;
  if (observed.kubeconfigBrought) return;
  const kubeconfig = await kubeconfigToIssue({
    clusterName: scope.key.name,
    endpointHost: endpoint,
    ca: observed.ca,
    ...(observed.kubeconfig ? { kept: observed.kubeconfig } : {}),
    now,
  });
  if (!kubeconfig) return;
  const secrets = new SecretBootstrapStore(store, scope.cluster, new Map(), now);
  await secrets.save({ pki: {}, machineData: new Map(), kubeconfig });
  observed.kubeconfig = kubeconfig;
  await store.event(
    scope.cluster,
    "Normal",
    EventReason.KubeconfigIssued,
    `kubeconfig for https://${endpoint}:6443 stored in Secret ${scope.key.name}-kubeconfig (key value)`,
  );
}
