import type { KubernetesObject } from "@kubernetes/client-node";
import {
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  type BootstrapToken,
  JOIN_TOKEN_CLUSTER_LABEL,
  JOIN_TOKEN_NAMESPACE,
  type JoinTokenOwner,
  type JoinTokenRecord,
  joinTokenSecret,
  readJoinTokenSecret,
  tokenExpiration,
} from "../../bootstrap/index.js";
import type { ApiClient } from "../runtime/api-client.js";
import { SecretResource } from "../runtime/resource.js";

/**
 * Bootstrap tokens of one Cluster in its workload cluster's kube-system
 * (docs/workload.md, "Bootstrap tokens for late joiners"). The workload
 * cluster is the only record: tokens are found again by the labels carrying
 * the Cluster's and the Machine's uids, so a pass that created one and then
 * failed reuses it.
 */
export interface JoinTokenApi {
  list(clusterUid: string): Promise<JoinTokenRecord[]>;
  create(token: BootstrapToken, owner: JoinTokenOwner): Promise<void>;
  extend(record: JoinTokenRecord, expires: Date): Promise<void>;
  remove(record: JoinTokenRecord): Promise<void>;
}

export function joinTokenApi(client: ApiClient): JoinTokenApi {
  return {
    async list(clusterUid) {
      const list = await client.list<KubernetesObject>(SecretResource, JOIN_TOKEN_NAMESPACE, {
        labelSelector: `${JOIN_TOKEN_CLUSTER_LABEL}=${clusterUid}`,
        fieldSelector: `type=${BOOTSTRAP_TOKEN_SECRET_TYPE}`,
      });
      return list.items.flatMap(
        (item) => readJoinTokenSecret(item as Parameters<typeof readJoinTokenSecret>[0]) ?? [],
      );
    },
    async create(token, owner) {
      try {
        await client.create(SecretResource, JOIN_TOKEN_NAMESPACE, joinTokenSecret(token, owner));
      } catch (error) {
        // An API server may echo what it refused: the token's secret never travels on in an error.
        throw scrubbed(error, token.secret);
      }
    },
    async extend(record, expires) {
      const patch = { data: { expiration: Buffer.from(tokenExpiration(expires)).toString("base64") } };
      await client.patch(SecretResource, JOIN_TOKEN_NAMESPACE, record.name, "merge", patch);
    },
    async remove(record) {
      await client.delete(SecretResource, JOIN_TOKEN_NAMESPACE, record.name);
    },
  };
}

function scrubbed(error: unknown, secret: string): unknown {
  if (error instanceof Error && error.message.includes(secret))
    error.message = error.message.split(secret).join("<redacted>");
  return error;
}
