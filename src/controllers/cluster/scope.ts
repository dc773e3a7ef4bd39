import { BACKEND_CONFIG_ANNOTATION } from "../../api/annotations.js";
import type { Cluster, PlanSummaryStatus } from "../../api/cluster.js";
import type { FieldError } from "../../api/field-error.js";
import type { Machine } from "../../api/machine.js";
import type { MachineClass } from "../../api/machine-class.js";
import type { CertAndKey } from "../../bootstrap/index.js";
import { clusterWorkDir } from "../../converge/options.js";
import type { ConfigMapLike } from "../../model/backend.js";
import type { ClusterModel } from "../../model/types.js";
import type { ApplyPolicy } from "../../plans/apply-policy.js";
import type { MachinePlanNote } from "../../plans/machine-changes.js";
import type {
  DriftObservation as DriftCheck,
  ObservedError,
  StateLockObservation,
} from "../../status/observations.js";
import type { RawOutput } from "../../status/outputs.js";
import type { WorkloadObservation } from "../../status/workload.js";
import { isDeleting } from "../../util/objects.js";
import { type AppliedRecord, readAppliedRecord } from "./applied-record.js";
import type { ClusterStore } from "./store.js";

export interface ClusterKey {
  namespace: string;
  name: string;
}

/** What one reconcile pass read, and what its phases learned (filled in as they run). */
export interface ClusterScope {
  key: ClusterKey;
  cluster: Cluster;
  /** Every Machine labelled for this cluster, those being deleted included. */
  machines: Machine[];
  machineClasses: MachineClass[];
  /** The ConfigMap named by clusterform.io/backend-config, when there is one. */
  configMaps: ConfigMapLike[];
  /** `<stateDir>/<namespace>/<cluster>`: Terraform's working directory. */
  workDir: string;
  /** The last successful apply (undefined: never applied from this state directory). */
  applied?: AppliedRecord;
  model?: ClusterModel;
  /** Field errors that keep the cluster from Terraform (set by validation; no drift check while set). */
  invalid?: FieldError[];
  /** Terraform outputs the statuses are computed from. */
  outputs?: Record<string, RawOutput>;
  /** Machines a plan or apply in flight creates. */
  provisioning: Set<string>;
  error?: ObservedError;
  /** The plan this pass made, as status.plan shows it. */
  plan?: PlanSummaryStatus;
  /** A plan held for approval (or kept under plan-only): what the conditions say. */
  planPending?: HeldPlan | undefined;
  /** What the last plan's refresh found outside Terraform (set only when a plan ran). */
  drift?: DriftObservation;
  /** Whether Terraform got the state lock in this pass (set only when Terraform tried). */
  stateLock?: StateLockObservation;
  /** What the bootstrap step decided (set only when the cluster validated). */
  bootstrap?: BootstrapObservation;
  /** The workload API as last seen, read without waiting (undefined: no workload kubeconfig). */
  workload?: WorkloadObservation;
  /** --node-startup-timeout in ms. */
  nodeStartupTimeoutMs?: number;
}

/**
 * The bootstrap step's outcome for the rest of the pass. `variables` (the
 * Machines' data, secret) go to every Terraform run of the cluster and
 * nowhere else; `warnings` become a condition and an Event.
 */
export interface BootstrapObservation {
  state: "disabled" | "none" | "invalid" | "no-control-plane" | "ready";
  variables: Readonly<Record<string, string>>;
  /** Stack warnings are added after synthesis. */
  warnings: string[];
  message?: string;
  /** The cluster CA, to sign the kubeconfig's client certificate after an apply. */
  ca?: CertAndKey;
  /** The kubeconfig kept before this pass. */
  kubeconfig?: string;
  /** `<cluster>-kubeconfig` is the user's (not controlled by the Cluster): used as is, never re-issued. */
  kubeconfigBrought?: boolean;
  /** Late joiners left out of the stack until they have a bootstrap token: name -> why. */
  waiting?: ReadonlyMap<string, string>;
  /** When the bootstrap tokens in the workload cluster need a look again (extension, retry), in ms. */
  recheckAfterMs?: number;
}

export interface HeldPlan {
  id: string;
  policy: ApplyPolicy;
  /** The PlanPending message: counts and the exact approve command. */
  message: string;
  /** What the plan does to each Machine it touches. */
  notes: Map<string, MachinePlanNote>;
}

export interface DriftObservation extends DriftCheck {
  /** Machine name -> the recorded instance the check found terminated or deleted. */
  lost?: ReadonlyMap<string, string>;
}

export async function loadScope(
  store: ClusterStore,
  key: ClusterKey,
  stateDir: string,
): Promise<ClusterScope | undefined> {
  const cluster = await store.getCluster(key.namespace, key.name);
  if (!cluster) return undefined;
  const backendConfig = cluster.metadata.annotations?.[BACKEND_CONFIG_ANNOTATION];
  const [machines, machineClasses, configMap] = await Promise.all([
    store.listMachines(key.namespace, key.name),
    store.listMachineClasses(key.namespace),
    backendConfig ? store.getConfigMap(key.namespace, backendConfig) : undefined,
  ]);
  const workDir = clusterWorkDir(stateDir, key);
  const applied = await readAppliedRecord(workDir);
  return {
    key,
    cluster,
    machines,
    machineClasses,
    configMaps: configMap ? [configMap] : [],
    workDir,
    ...(applied ? { applied, outputs: applied.outputs } : {}),
    provisioning: new Set(),
  };
}

/** Machines that belong in the stack: those not being deleted. */
export function liveMachines(scope: ClusterScope): Machine[] {
  return scope.machines.filter((m) => !isDeleting(m));
}
