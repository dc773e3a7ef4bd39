import { stringify } from "yaml";
import { InvalidConfigurationError } from "../errors.js";
import { API_SERVER_PORT } from "./endpoint.js";
import type { CertAndKey } from "./pki.js";

/**
 * The workload cluster's admin kubeconfig, shaped as Cluster API writes it
 * into Secret `<cluster>-kubeconfig` (key `value`): one cluster, one user
 * `<cluster>-admin`, context `<cluster>-admin@<cluster>`.
 */
export interface KubeconfigInput {
  clusterName: string;
  /** The API endpoint's host (load balancer DNS name or an address), without scheme or port. */
  endpointHost: string;
  caCert: string;
  admin: CertAndKey;
}

export const KUBECONFIG_SECRET_KEY = "value";

export function kubeconfigSecretName(clusterName: string): string {
  return `${clusterName}-kubeconfig`;
}

export function renderKubeconfig(input: KubeconfigInput): string {
  const user = `${input.clusterName}-admin`;
  const context = `${user}@${input.clusterName}`;
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: input.clusterName,
        cluster: { server: serverUrl(input), "certificate-authority-data": base64(input.caCert) },
      },
    ],
    users: [
      {
        name: user,
        user: {
          "client-certificate-data": base64(input.admin.cert),
          "client-key-data": base64(input.admin.key),
        },
      },
    ],
    contexts: [{ name: context, context: { cluster: input.clusterName, user } }],
    "current-context": context,
    preferences: {},
  };
  return stringify(config, { lineWidth: 0 });
}

/** `https://<host>:6443`; IPv6 literals bracketed. Anything that is not a bare host is refused. */
function serverUrl(input: KubeconfigInput): string {
  const host = input.endpointHost;
  const ipv6 = host.includes(":");
  const valid = ipv6 ? /^[0-9a-fA-F:.]+$/.test(host) : /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/.test(host);
  if (!valid) {
    throw new InvalidConfigurationError(
      `Cluster ${input.clusterName}: API endpoint "${host}" is not a host name or IP address`,
    );
  }
  return `https://${ipv6 ? `[${host}]` : host}:${API_SERVER_PORT}`;
}

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}
