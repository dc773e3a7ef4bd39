import { parse } from "yaml";
import { API_SERVER_PORT } from "./endpoint.js";
import { renderKubeconfig } from "./kubeconfig.js";
import { type CertAndKey, issueAdminClientCert, needsRenewal } from "./pki.js";

/**
 * The workload cluster's admin kubeconfig, (re)issued only when needed: none
 * kept yet, the API endpoint or the CA changed, or the client certificate
 * has used half its life (needsRenewal). Returns the new text, or undefined
 * when the kept one is still right. Needs the endpoint, so drivers call it
 * after an apply, with Terraform's `control_plane_endpoint` output.
 */
export async function kubeconfigToIssue(input: {
  clusterName: string;
  endpointHost: string;
  ca: CertAndKey;
  kept?: string;
  now?: Date;
}): Promise<string | undefined> {
  const now = input.now ?? new Date();
  if (input.kept !== undefined && stillGood(input.kept, input.endpointHost, input.ca.cert, now))
    return undefined;
  const admin = await issueAdminClientCert(input.ca, { now });
  return renderKubeconfig({
    clusterName: input.clusterName,
    endpointHost: input.endpointHost,
    caCert: input.ca.cert,
    admin,
  });
}

function stillGood(kept: string, endpointHost: string, caCert: string, now: Date): boolean {
  try {
    const config = parse(kept) as KubeconfigShape;
    const cluster = config.clusters?.[0]?.cluster;
    const user = config.users?.[0]?.user;
    const host = endpointHost.includes(":") ? `[${endpointHost}]` : endpointHost;
    if (cluster?.server !== `https://${host}:${API_SERVER_PORT}`) return false;
    if (fromBase64(cluster["certificate-authority-data"]) !== caCert) return false;
    const cert = fromBase64(user?.["client-certificate-data"]);
    return cert !== "" && !needsRenewal(cert, now);
  } catch {
    // Unreadable (edited by hand, truncated): a fresh one replaces it.
    return false;
  }
}

interface KubeconfigShape {
  clusters?: { cluster?: { server?: string; "certificate-authority-data"?: string } }[];
  users?: { user?: { "client-certificate-data"?: string } }[];
}

function fromBase64(value: string | undefined): string {
  return value === undefined ? "" : Buffer.from(value, "base64").toString("utf8");
}
