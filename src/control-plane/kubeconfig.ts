/** The kubeconfig the server writes for kubectl and client-node (server URL + bearer token). */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { stringify } from "yaml";
import { writePrivateFile } from "./private-files.js";

export function kubeconfigYaml(url: string, token: string, caCert: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "clusterform",
        cluster: { server: url, "certificate-authority-data": Buffer.from(caCert).toString("base64") },
      },
    ],
    users: [{ name: "clusterform", user: { token } }],
    contexts: [
      { name: "clusterform", context: { cluster: "clusterform", user: "clusterform", namespace: "default" } },
    ],
    "current-context": "clusterform",
    preferences: {},
  });
}

/** Writes the kubeconfig readable by its owner only (it holds the token), also over an existing file. */
export function writeKubeconfig(path: string, url: string, token: string, caCert: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writePrivateFile(path, kubeconfigYaml(url, token, caCert));
}
