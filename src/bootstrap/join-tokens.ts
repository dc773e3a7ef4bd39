import type { BootstrapToken } from "./token.js";

/**
 * Bootstrap tokens created in the workload cluster for Machines that join
 * after the init token's lifetime (docs/bootstrap.md, "Tokens for late
 * joiners"): kubeadm's own Secret format (`kubeadm token create` writes the
 * same), so the workload API server's bootstrap authenticator and the
 * controller-manager's token cleaner treat them as any kubeadm token.
 */

/** Where kubeadm keeps bootstrap tokens. */
export const JOIN_TOKEN_NAMESPACE = "kube-system";
export const BOOTSTRAP_TOKEN_SECRET_TYPE = "bootstrap.kubernetes.io/token";
/** kubeadm's group for node-joining tokens (its RBAC binds it to CSR creation). */
export const NODE_TOKEN_GROUP = "system:bootstrappers:kubeadm:default-node-token";

/**
 * A minted token lives this long and is extended when less than half is
 * left, while its Machine has no Node: long enough to outlast a Terraform
 * run and a boot between two passes, short enough that leaked user data is
 * soon worthless (the token is deleted once the Node registers anyway).
 */
export const JOIN_TOKEN_TTL_SECONDS = 2 * 60 * 60;

/** Labels that tie a token to its Cluster and Machine (uids: names can be reused). */
export const JOIN_TOKEN_CLUSTER_LABEL = "clusterform.io/cluster-uid";
export const JOIN_TOKEN_MACHINE_LABEL = "clusterform.io/machine-uid";

export interface JoinTokenOwner {
  clusterUid: string;
  machine: { namespace: string; name: string; uid: string };
}

/** A token found in the workload cluster, tied to a Machine by uid. */
export interface JoinTokenRecord {
  /** The Secret's name, `bootstrap-token-<id>`. */
  name: string;
  id: string;
  machineUid: string;
  /** `id.secret`, what the Machine's JoinConfiguration carries. */
  token: string;
  expires: Date;
}

export function joinTokenSecretName(id: string): string {
  return `bootstrap-token-${id}`;
}

/** kubeadm's bootstrap-token Secret for one Machine (stringData: the API server encodes it). */
export function joinTokenSecret(token: BootstrapToken, owner: JoinTokenOwner) {
  const { machine } = owner;
  return {
    apiVersion: "v1" as const,
    kind: "Secret" as const,
    metadata: {
      name: joinTokenSecretName(token.id),
      namespace: JOIN_TOKEN_NAMESPACE,
      labels: { [JOIN_TOKEN_CLUSTER_LABEL]: owner.clusterUid, [JOIN_TOKEN_MACHINE_LABEL]: machine.uid },
    },
    type: BOOTSTRAP_TOKEN_SECRET_TYPE,
    stringData: {
      description: `clusterform: joins Machine ${machine.namespace}/${machine.name}; deleted once its Node registers`,
      "token-id": token.id,
      "token-secret": token.secret,
      expiration: tokenExpiration(token.expires),
      "usage-bootstrap-authentication": "true",
      "usage-bootstrap-signing": "true",
      "auth-extra-groups": NODE_TOKEN_GROUP,
    },
  };
}

/** RFC 3339 in whole seconds, as kubeadm writes `expiration`. */
export function tokenExpiration(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A listed Secret back as a record; undefined when it is not one of ours or is malformed. */
export function readJoinTokenSecret(secret: {
  metadata?: { name?: string; labels?: Record<string, string> };
  type?: string;
  data?: Record<string, string>;
}): JoinTokenRecord | undefined {
  const name = secret.metadata?.name;
  const machineUid = secret.metadata?.labels?.[JOIN_TOKEN_MACHINE_LABEL];
  if (!name || !machineUid || secret.type !== BOOTSTRAP_TOKEN_SECRET_TYPE) return undefined;
  const data = (key: string) => Buffer.from(secret.data?.[key] ?? "", "base64").toString("utf8");
  const id = data("token-id");
  const tokenSecret = data("token-secret");
  const expires = Date.parse(data("expiration"));
  if (!id || !tokenSecret || Number.isNaN(expires) || name !== joinTokenSecretName(id)) return undefined;
  return { name, id, machineUid, token: `${id}.${tokenSecret}`, expires: new Date(expires) };
}

/** What to do with the tokens found: the level-based upkeep of every pass. */
export interface JoinTokenUpkeep {
  /** Their Machine has its Node, is being deleted, or is gone. */
  remove: JoinTokenRecord[];
  /** Less than half their life left while their Machine waits for its Node: new expiration. */
  extend: { record: JoinTokenRecord; expires: Date }[];
  /** The live token per Machine uid (after extension), reused for a Machine still to be rendered. */
  live: Map<string, JoinTokenRecord>;
  /** When the next extension falls due (ms from now); undefined: no live token. */
  nextCheckMs?: number;
}

/**
 * Decides, for every token of the cluster, delete / extend / keep. `waiting`
 * says whether a Machine (by uid) still waits for its Node: false once it
 * has a nodeRef, or is being deleted; a uid it does not know is gone. One
 * token per Machine is kept (the newest), extras go.
 */
export function planJoinTokenUpkeep(
  records: readonly JoinTokenRecord[],
  waiting: (machineUid: string) => boolean,
  now: Date,
  ttlSeconds = JOIN_TOKEN_TTL_SECONDS,
): JoinTokenUpkeep {
  const ttlMs = ttlSeconds * 1000;
  const upkeep: JoinTokenUpkeep = { remove: [], extend: [], live: new Map() };
  const newestFirst = [...records].sort((a, b) => b.expires.getTime() - a.expires.getTime());
  for (const record of newestFirst) {
    if (!waiting(record.machineUid) || upkeep.live.has(record.machineUid)) {
      upkeep.remove.push(record);
      continue;
    }
    let expires = record.expires;
    if (expires.getTime() - now.getTime() < ttlMs / 2) {
      expires = new Date(now.getTime() + ttlMs);
      upkeep.extend.push({ record, expires });
    }
    upkeep.live.set(record.machineUid, { ...record, expires });
    const due = Math.max(1000, expires.getTime() - ttlMs / 2 - now.getTime());
    upkeep.nextCheckMs = Math.min(upkeep.nextCheckMs ?? due, due);
  }
  return upkeep;
}
