import type { Cluster } from "../../api/cluster.js";
import { EventReason } from "../../api/event-reasons.js";
import type { ClusterTerraform } from "../../converge/cluster-terraform.js";
import type { RawOutput } from "../../status/outputs.js";
import type { OutputValue } from "../../terraform/types.js";
import { appliedAsConfigured, recordableOutputs } from "./applied-record.js";
import { outputsSecret, outputsSecretName } from "./outputs-secret.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

/**
 * Writes Secret `<cluster>-outputs` with exactly the sensitive outputs there
 * are now, or removes it when none is left. The Event names the outputs, never
 * their values.
 */
export async function publishSensitiveOutputs(
  store: ClusterStore,
  cluster: Cluster,
  outputs: Record<string, OutputValue>,
): Promise<void> {
  const secret = outputsSecret(cluster, outputs);
  const name = outputsSecretName(cluster.metadata.name ?? "");
  await store.writeOutputsSecret(cluster, name, secret);
  if (!secret) return;
  await store.event(
    cluster,
    "Normal",
    EventReason.SensitiveOutputsStored,
    `sensitive outputs ${Object.keys(secret.data).join(", ")} are in Secret ${name}`,
  );
}

/**
 * The outputs after a plan without changes. The applied record suffices when
 * it is of this configuration and holds no sensitive output; otherwise
 * Terraform is asked (the record keeps only their names) and the Secret
 * rewritten, so a failed Secret write is retried by the next pass's plan, and
 * a deleted or edited Secret is restored by the next plan. `configHash`
 * undefined: the record cannot be trusted (the state moved outside clusterform).
 */
export async function outputsWithoutChanges(
  store: ClusterStore,
  scope: ClusterScope,
  configHash: string | undefined,
  run: Pick<ClusterTerraform, "outputs">,
  signal?: AbortSignal,
): Promise<Record<string, RawOutput>> {
  // After an unfinished apply the recorded outputs may be stale: Terraform is asked.
  const recorded =
    configHash !== undefined && appliedAsConfigured(scope.applied, configHash)
      ? scope.applied?.outputs
      : undefined;
  if (recorded && !Object.values(recorded).some((output) => output.sensitive)) return recorded;
  const outputs = await run.outputs(signal ? { signal } : {});
  await publishSensitiveOutputs(store, scope.cluster, outputs);
  return recordableOutputs(outputs);
}
