import { X509Certificate } from "node:crypto";
import type { Cluster } from "../api/cluster.js";
import type { FieldError } from "../api/field-error.js";
import type { Machine } from "../api/machine.js";
import { checkBootstrapDataSize, providerIdTemplate, renderCloudConfig } from "./cloud-config.js";
import { CONTROL_PLANE_ENDPOINT_PLACEHOLDER } from "./endpoint.js";
import { type KubeVersion, parseKubeVersion } from "./kube-version.js";
import type { KubeadmClusterInput } from "./kubeadm/documents.js";
import {
  CA_COMMON_NAMES,
  type ClusterPki,
  generateCa,
  generateServiceAccountKeys,
  type KeyAlgorithm,
  keyAlgorithmOf,
} from "./pki.js";
import { assignRoles, isControlPlaneMachine, type RoleAssignment } from "./roles.js";
import { bootstrapSetting } from "./setting.js";
import { type BootstrapToken, generateBootstrapToken } from "./token.js";
import { checkBootstrapVersions, defaultKeyAlgorithm } from "./versions.js";

/**
 * The one decision both drivers (controller: Secrets; file mode: 0600 files)
 * make before synthesis: given the validated model and what is already
 * stored, what is new to store, which Machines get bootstrap data, and the
 * sensitive Terraform variables. Pure apart from key generation: no I/O.
 */

/**
 * What the core reads of a cluster: the validated ClusterModel has this
 * shape (src/bootstrap stays free of the model and the stacks, so it is
 * described here, and a ClusterModel is passed as it is).
 */
export interface BootstrapCluster {
  namespace: string;
  name: string;
  /** "aws" gets the kubelet's provider-id from instance data (cloud-config.ts providerIdTemplate). */
  provider?: string;
  cluster: Cluster;
  network: { serviceCidrs: readonly string[]; podCidrs: readonly string[]; serviceDomain: string };
  machines: readonly BootstrapMachine[];
}

export interface BootstrapMachine {
  name: string;
  machine: Machine;
  /** Adopted instances are not bootstrapped. */
  adoptId?: string;
}

/** The token as kept: enough to render init (ttl) and joins (token), and to know when it stops working. */
export type StoredToken = Pick<BootstrapToken, "token" | "ttl" | "expires">;

/** What the driver has kept for one cluster. PKI parts are present only when stored and already checked. */
export interface StoredBootstrap {
  pki: Partial<ClusterPki>;
  /** The recorded init machine (never moves once recorded). */
  initMachine?: string;
  token?: StoredToken;
  /** Machine name -> its cloud-config, rendered once and kept. */
  machineData: Map<string, string>;
  /** The workload cluster's admin kubeconfig (see kubeconfig-issue.ts). */
  kubeconfig?: string;
}

/** Only what is new: the driver stores these and must not touch anything it already keeps. */
export interface BootstrapChanges {
  pki: Partial<ClusterPki>;
  initMachine?: string;
  token?: StoredToken;
  machineData: Map<string, string>;
  kubeconfig?: string;
}

/** Implemented by the controller (Secrets, the Cluster's annotation) and file mode (0600 files). */
export interface BootstrapStore {
  load(): Promise<StoredBootstrap>;
  save(changes: BootstrapChanges): Promise<void>;
}

export type BootstrapMaterials =
  /** Opted out (annotation clusterform.io/bootstrap: disabled): bare instances, no variables. */
  | { kind: "disabled" }
  | { kind: "invalid"; errors: FieldError[] }
  /** No Machine to bootstrap (none yet, or only adopted instances): the network alone is planned. */
  | { kind: "none" }
  /** Machines but no control-plane Machine: report on the Cluster, plan nothing. */
  | { kind: "no-control-plane"; message: string }
  | {
      kind: "ready";
      /** For `model.bootstrap` (ClusterBootstrap). */
      bootstrap: { machines: string[]; initMachine: string };
      /**
       * Machine name -> cloud-config for EVERY bootstrapped Machine (kept and
       * new): every Terraform run needs all of them, as sensitive variables
       * (`bootstrapVariables(data)` from stacks/index.ts).
       */
      data: Record<string, string>;
      changes: BootstrapChanges;
      pki: ClusterPki;
      /** Things a person should know (Cluster condition / Event); never secret. */
      warnings: string[];
      /**
       * Late joiners without a minted token (see `JoinTokenInput`): not
       * rendered, not in `bootstrap.machines` nor `data`. The driver leaves
       * them out of the stack, so no instance boots with a token nobody knows.
       */
      waiting: string[];
    };

/**
 * The controller's tokens for late joiners (docs/bootstrap.md). Absent
 * (file mode: no workload API to create tokens in), a late joiner gets a
 * fresh cluster token and a warning, as before.
 */
export interface JoinTokenInput {
  /** Machine name -> the token created for it in the workload cluster's kube-system. */
  minted: ReadonlyMap<string, Pick<StoredToken, "token" | "ttl">>;
}

/** Tokens with less life left than this are not handed to newly rendered Machines. */
const TOKEN_MIN_REMAINING_MS = 60 * 60 * 1000;

export async function prepareBootstrap(
  model: BootstrapCluster,
  stored: StoredBootstrap,
  now: Date = new Date(),
  joinTokens?: JoinTokenInput,
): Promise<BootstrapMaterials> {
  const setting = bootstrapSetting(model.cluster);
  if (typeof setting !== "string") return { kind: "invalid", errors: [setting] };
  if (setting === "disabled") return { kind: "disabled" };
  // An adopted instance already runs whatever it runs: it is not bootstrapped.
  const machines = model.machines.filter((entry) => entry.adoptId === undefined);
  if (machines.length === 0) return { kind: "none" };
  const objects = machines.map((entry) => entry.machine);
  const errors = checkBootstrapVersions(objects, optional("recordedInitMachine", stored.initMachine));
  if (errors.length > 0) return { kind: "invalid", errors };
  const roles = assignRoles(objects, stored.initMachine);
  if (roles.missingControlPlane || roles.initMachine === undefined) {
    return {
      kind: "no-control-plane",
      message: `Cluster ${model.namespace}/${model.name} has Machines but no control-plane Machine (spec.versions.controlPlane set): nothing would run kubeadm init, so nothing is planned`,
    };
  }
  const initMachine = roles.initMachine;
  const version = clusterVersion(model, machines, initMachine);
  const changes: BootstrapChanges = { pki: {}, machineData: new Map() };
  const pki = await completePki(stored.pki, defaultKeyAlgorithm(version), now, changes);
  if (stored.initMachine === undefined) changes.initMachine = initMachine;
  const warnings: string[] = [];
  const late = new Set(joinTokens ? lateJoinersOf(machines, stored, roles, now) : []);
  const toRender = machines.filter((entry) => !stored.machineData.has(entry.name) && !late.has(entry.name));
  const token = tokenFor(stored, toRender, initMachine, now, changes, warnings, joinTokens !== undefined);
  const cluster = kubeadmCluster(model, version, pki);
  const template = providerIdTemplate(model.provider);
  const data: Record<string, string> = {};
  const waiting: string[] = [];
  for (const entry of machines) {
    let text = stored.machineData.get(entry.name);
    if (text === undefined) {
      const own = late.has(entry.name) ? joinTokens?.minted.get(entry.name) : token;
      if (!own) {
        waiting.push(entry.name);
        continue;
      }
      const role = roles.roles.get(entry.name) ?? "worker-join";
      text = renderCloudConfig(entry.machine, role, {
        cluster,
        pki,
        token: { token: own.token, ttl: own.ttl },
        ...(template ? { providerIdTemplate: template } : {}),
      });
      checkBootstrapDataSize(entry.machine, text);
      changes.machineData.set(entry.name, text);
    }
    data[entry.name] = text;
  }
  return {
    kind: "ready",
    bootstrap: { machines: Object.keys(data), initMachine },
    data,
    changes,
    pki,
    warnings,
    waiting,
  };
}

/**
 * The Machines that need a token created in the workload cluster: joiners
 * still to be rendered, without an instance, of a cluster planned before
 * (its init machine recorded), once the init token has less than an hour
 * left or is gone. The controller calls this before `prepareBootstrap` to
 * know which tokens to create; a Machine that already has an instance keeps
 * the cluster token (its boot is past; re-rendering it is only for the record).
 */
export function lateJoiners(model: BootstrapCluster, stored: StoredBootstrap, now: Date): string[] {
  const machines = model.machines.filter((entry) => entry.adoptId === undefined);
  const roles = assignRoles(
    machines.map((entry) => entry.machine),
    stored.initMachine,
  );
  return lateJoinersOf(machines, stored, roles, now);
}

function lateJoinersOf(
  machines: readonly BootstrapMachine[],
  stored: StoredBootstrap,
  roles: RoleAssignment,
  now: Date,
): string[] {
  if (stored.initMachine === undefined || clusterTokenUsable(stored, now)) return [];
  return machines
    .filter((entry) => !stored.machineData.has(entry.name))
    .filter((entry) => (roles.roles.get(entry.name) ?? "init") !== "init")
    .filter((entry) => !(entry.machine.status?.providerID ?? entry.machine.spec.providerID))
    .map((entry) => entry.name);
}

function clusterTokenUsable(stored: StoredBootstrap, now: Date): boolean {
  const kept = stored.token;
  return kept !== undefined && kept.expires.getTime() - now.getTime() >= TOKEN_MIN_REMAINING_MS;
}

/** The stored PKI with any missing part generated (a user's own CA can sit beside generated parts). */
async function completePki(
  stored: Partial<ClusterPki>,
  fallback: KeyAlgorithm,
  now: Date,
  changes: BootstrapChanges,
): Promise<ClusterPki> {
  // A brought CA decides the algorithm of what is generated beside it.
  const algorithm = stored.ca ? keyAlgorithmOf(new X509Certificate(stored.ca.cert).publicKey) : fallback;
  // In parallel: key generation runs on libuv's threads (RSA takes seconds).
  await Promise.all([
    ...(["ca", "etcd", "frontProxy"] as const).map(async (part) => {
      if (!stored[part]) changes.pki[part] = await generateCa(CA_COMMON_NAMES[part], algorithm, now);
    }),
    (async () => {
      if (!stored.serviceAccount) changes.pki.serviceAccount = await generateServiceAccountKeys(algorithm);
    })(),
  ]);
  const pki = { ...stored, ...changes.pki };
  if (!pki.ca || !pki.etcd || !pki.frontProxy || !pki.serviceAccount) throw new Error("incomplete PKI");
  const { ca, etcd, frontProxy, serviceAccount } = pki;
  return { ca, etcd, frontProxy, serviceAccount };
}

/**
 * The cluster (init) token for the Machines rendered with it: the stored one
 * while it has life left; otherwise a fresh one. A fresh token given to
 * Machines that join a cluster initialised earlier is one the running
 * cluster does not know, which is said in a warning. The controller
 * (`minting`) gives such joiners tokens of their own instead; what still
 * reaches here there (a joiner that already has an instance) gets a fresh
 * token that is not stored, so later joiners never take it for one the
 * cluster knows.
 */
function tokenFor(
  stored: StoredBootstrap,
  toRender: readonly BootstrapMachine[],
  initMachine: string,
  now: Date,
  changes: BootstrapChanges,
  warnings: string[],
  minting: boolean,
): StoredToken {
  const kept = stored.token;
  if (kept && clusterTokenUsable(stored, now)) return kept;
  if (kept && toRender.length === 0) return kept;
  const fresh = generateBootstrapToken({ now });
  const token = { token: fresh.token, ttl: fresh.ttl, expires: fresh.expires };
  const initRenderedBefore = stored.machineData.has(initMachine) || stored.initMachine !== undefined;
  if (minting && initRenderedBefore) {
    if (toRender.length === 0) return token;
  } else changes.token = token;
  const joiners = toRender.filter((entry) => entry.name !== initMachine).map((entry) => entry.name);
  if ((kept || minting) && initRenderedBefore && joiners.length > 0) {
    warnings.push(
      minting
        ? `the bootstrap token expired; Machines ${joiners.join(", ")} already have instances and were re-rendered with a token the running cluster does not know`
        : `the bootstrap token expired; Machines ${joiners.join(", ")} were given a new token the running cluster does not know, so they cannot join until it is created there (kubeadm token create); the controller creates tokens for late joiners itself`,
    );
  }
  return token;
}

/** The init machine's control-plane version, or (init gone) the oldest control plane's, or a kubelet's. */
function clusterVersion(
  model: BootstrapCluster,
  machines: readonly BootstrapMachine[],
  initMachine: string,
): KubeVersion {
  const init = machines.find((entry) => entry.name === initMachine);
  const candidates = [
    init?.machine.spec.versions?.controlPlane,
    ...machines
      .filter((entry) => isControlPlaneMachine(entry.machine))
      .map((e) => e.machine.spec.versions?.controlPlane),
    ...machines.map((entry) => entry.machine.spec.versions?.kubelet),
  ];
  for (const candidate of candidates) {
    const version = parseKubeVersion(candidate ?? "");
    if (version) return version;
  }
  // Unreachable after checkBootstrapVersions: every Machine has a valid kubelet version.
  throw new Error(`Cluster ${model.namespace}/${model.name}: no Kubernetes version to bootstrap with`);
}

function kubeadmCluster(model: BootstrapCluster, version: KubeVersion, pki: ClusterPki): KubeadmClusterInput {
  return {
    clusterName: model.name,
    kubernetesVersion: version,
    endpointHost: CONTROL_PLANE_ENDPOINT_PLACEHOLDER,
    podCidrs: model.network.podCidrs,
    serviceCidrs: model.network.serviceCidrs,
    dnsDomain: model.network.serviceDomain,
    keyAlgorithm: keyAlgorithmOf(new X509Certificate(pki.ca.cert).publicKey),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
