import { ConditionType } from "../../api/conditions.js";
import { EventReason } from "../../api/event-reasons.js";
import type { Machine } from "../../api/machine.js";
import {
  formatGoDuration,
  generateBootstrapToken,
  JOIN_TOKEN_TTL_SECONDS,
  type JoinTokenInput,
  type JoinTokenUpkeep,
  joinTokenSecretName,
  planJoinTokenUpkeep,
} from "../../bootstrap/index.js";
import { clusterWorkloadConditions } from "../../status/node-status.js";
import { providerIDKey } from "../../status/workload.js";
import { isDeleting } from "../../util/objects.js";
import type { JoinTokenApi } from "../workload/join-tokens.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

/** A failed workload request is tried again this soon (the pass itself goes on). */
const RETRY_MS = 30_000;

/** What the token step hands `prepareBootstrap` and the pass's status. */
export interface JoinTokensOutcome extends JoinTokenInput {
  minted: Map<string, { token: string; ttl: string }>;
  /** Late joiner name -> why it has no token yet (Ready=False WaitingForBootstrapToken). */
  waiting: Map<string, string>;
  /** When the next extension or retry falls due (ms); undefined: nothing to look after. */
  recheckAfterMs?: number;
}

/**
 * Every pass that reaches the workload API looks after the Cluster's tokens
 * there (deleted once their Machine has its Node or is gone, extended while
 * it waits for one), then gives each late joiner (`lateJoiners`) a token:
 * its own already there, or a new one once the control plane is
 * initialised. Workload failures never fail the pass: the Machines they
 * concern wait, and the step is retried.
 */
export async function joinTokensFor(
  api: JoinTokenApi | undefined,
  store: ClusterStore,
  scope: ClusterScope,
  late: readonly string[],
  now: Date,
): Promise<JoinTokensOutcome> {
  const outcome: JoinTokensOutcome = { minted: new Map(), waiting: new Map() };
  const ttl = formatGoDuration(JOIN_TOKEN_TTL_SECONDS);
  const failed = (error: unknown) => {
    outcome.recheckAfterMs = RETRY_MS;
    return error instanceof Error ? error.message : String(error);
  };
  let upkeep: JoinTokenUpkeep | undefined;
  let problem: string | undefined;
  if (api) {
    try {
      upkeep = await keepTokens(api, scope, now);
      outcome.recheckAfterMs = upkeep.nextCheckMs;
    } catch (error) {
      problem = `the workload API failed: ${failed(error)}`;
    }
  }
  const initialised = controlPlaneInitialized(scope);
  for (const name of late) {
    const machine = scope.machines.find((m) => m.metadata.name === name);
    if (!machine) continue;
    const found = upkeep?.live.get(machineUid(machine));
    if (found) {
      outcome.minted.set(name, { token: found.token, ttl });
      continue;
    }
    const why = problem ?? (api ? (initialised ? undefined : notInitialised()) : unreachable(scope));
    if (!api || why) {
      outcome.waiting.set(name, `${WHY_TOKEN} ${why}`);
      continue;
    }
    const token = generateBootstrapToken({ ttlSeconds: JOIN_TOKEN_TTL_SECONDS, now });
    try {
      await api.create(token, {
        clusterUid: clusterUid(scope),
        machine: { namespace: scope.key.namespace, name, uid: machineUid(machine) },
      });
    } catch (error) {
      outcome.waiting.set(name, `${WHY_TOKEN} creating it failed: ${failed(error)}`);
      continue;
    }
    outcome.minted.set(name, { token: token.token, ttl });
    const half = (JOIN_TOKEN_TTL_SECONDS * 1000) / 2;
    outcome.recheckAfterMs = Math.min(outcome.recheckAfterMs ?? half, half);
    await store.event(
      machine,
      "Normal",
      EventReason.BootstrapTokenCreated,
      `bootstrap token ${token.id} created in the workload cluster (Secret kube-system/${joinTokenSecretName(token.id)}) for this Machine to join; deleted once its Node registers`,
    );
  }
  return outcome;
}

const WHY_TOKEN =
  "joins after the cluster's init token expired, so it needs a bootstrap token created in the workload cluster's kube-system; its instance is created once it has one:";

/** Deletes the tokens no Machine waits on, extends those about to lapse; the live ones by Machine uid. */
async function keepTokens(api: JoinTokenApi, scope: ClusterScope, now: Date): Promise<JoinTokenUpkeep> {
  const byUid = new Map(scope.machines.map((m) => [machineUid(m), m]));
  const upkeep = planJoinTokenUpkeep(
    await api.list(clusterUid(scope)),
    (uid) => {
      const machine = byUid.get(uid);
      return machine !== undefined && !isDeleting(machine) && !hasNode(machine, scope);
    },
    now,
  );
  for (const record of upkeep.remove) await api.remove(record);
  for (const { record, expires } of upkeep.extend) await api.extend(record, expires);
  return upkeep;
}

/** Its nodeRef is set, or this pass's Node list has its providerID (the nodeRef is written at the pass's end). */
function hasNode(machine: Machine, scope: ClusterScope): boolean {
  if ((machine.status?.nodeRef as { name?: string } | undefined)?.name) return true;
  const providerID = machine.status?.providerID ?? machine.spec.providerID;
  return providerID !== undefined && scope.workload?.nodes.has(providerIDKey(providerID)) === true;
}

/** The Cluster's ControlPlaneInitialized as this pass computes it (the init machine's Node exists). */
function controlPlaneInitialized(scope: ClusterScope): boolean {
  const machines = scope.machines.map((machine) => ({ machine, status: machine.status ?? {} }));
  return clusterWorkloadConditions(scope.cluster, machines, scope.workload).some(
    (c) => c.type === ConditionType.ControlPlaneInitialized && c.status === "True",
  );
}

function notInitialised(): string {
  return "waiting for ControlPlaneInitialized (the init machine's Node to register)";
}

function unreachable(scope: ClusterScope): string {
  const workload = scope.workload;
  if (!workload)
    return `the workload cluster is not read (no Secret ${scope.key.name}-kubeconfig yet, no override, or --no-workload-read)`;
  if (workload.api === "connecting") return `waiting for the workload API at ${workload.address} to answer`;
  return `workload API ${workload.address || "(no address)"} unreachable: ${workload.error ?? "no answer"}`;
}

function clusterUid(scope: ClusterScope): string {
  return scope.cluster.metadata.uid ?? `${scope.key.namespace}.${scope.key.name}`;
}

/** The fake store of unit tests has no uids: the name stands in. */
function machineUid(machine: Machine): string {
  return machine.metadata.uid ?? machine.metadata.name ?? "";
}
