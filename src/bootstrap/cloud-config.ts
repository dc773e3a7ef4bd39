import { gzipSync } from "node:zlib";
import { stringify } from "yaml";
import type { Machine } from "../api/machine.js";
import { InvalidConfigurationError } from "../errors.js";
import { type KubeVersion, parseKubeVersion } from "./kube-version.js";
import {
  type InitTokenInput,
  type KubeadmClusterInput,
  type KubeadmDocument,
  renderInitDocuments,
  renderJoinDocument,
} from "./kubeadm/documents.js";
import type { ClusterPki } from "./pki.js";
import type { BootstrapRole } from "./roles.js";
import { caCertHash } from "./token.js";

/**
 * A Machine's bootstrap data: cloud-init `#cloud-config` that writes the
 * kubeadm config (and, on control-plane machines only, the shared cluster
 * keys), checks the kubelet is the version the Machine asks for, then runs
 * `kubeadm init` or `kubeadm join`. Images must be kubeadm-ready (kubeadm,
 * kubelet and a container runtime installed), as with the v1alpha1 providers.
 */
export interface BootstrapContext {
  /** kubernetesVersion here is the init machine's `versions.controlPlane`. */
  cluster: KubeadmClusterInput;
  pki: ClusterPki;
  token: InitTokenInput;
  /** The kubelet's `provider-id` as a cloud-init jinja template (providerIdTemplate); absent: none set. */
  providerIdTemplate?: string;
}

/**
 * The kubelet's `--provider-id` on AWS, filled in on the machine by
 * cloud-init's jinja from its instance data: `aws:///<zone>/<instance id>`,
 * what the AWS cloud provider writes, so the Node matches its Machine
 * (status/workload.ts providerIDKey). vSphere has none: a VM's BIOS UUID is
 * not in cloud-init's instance data (its CPI sets the providerID).
 */
export const AWS_PROVIDER_ID_TEMPLATE = "aws:///{{ v1.availability_zone }}/{{ v1.instance_id }}";

/** The first line that makes cloud-init render the user data as a jinja template first. */
const JINJA_HEADER = "## template: jinja\n";

export function providerIdTemplate(provider: string | undefined): string | undefined {
  return provider === "aws" ? AWS_PROVIDER_ID_TEMPLATE : undefined;
}

/** AWS's user data limit (bytes, before base64), which the stack's gzip must get under. */
export const USER_DATA_LIMIT_BYTES = 16_384;

/** Where the kubeadm config lands: tmpfs, so the token-bearing file is gone after a reboot. */
export const KUBEADM_CONFIG_PATH = "/run/kubeadm/kubeadm.yaml";
export const KUBELET_CHECK_PATH = "/run/clusterform/check-kubelet-version.sh";

const PKI_DIR = "/etc/kubernetes/pki";

/**
 * Fails the boot visibly (console + cloud-init's output log) rather than
 * letting kubeadm set up a node of the wrong version. POSIX sh, and no `${`
 * anywhere: the text must stay inert as a Terraform variable value.
 */
const KUBELET_CHECK_SCRIPT = `#!/bin/sh
# clusterform: kubeadm runs only on a kubelet of the version the Machine asks for.
expected="Kubernetes $1"
found="$(kubelet --version 2>&1)" || found="kubelet did not run: $found"
if [ "$found" != "$expected" ]; then
  message="clusterform: kubelet version mismatch: the Machine asks for $expected, this image has: $found. kubeadm was not run."
  echo "$message" >&2
  echo "$message" >/dev/console 2>/dev/null || true
  exit 1
fi
`;

interface WriteFile {
  path: string;
  owner: string;
  permissions: string;
  content: string;
}

/** The `#cloud-config` text for `machine` in `role`. */
export function renderCloudConfig(machine: Machine, role: BootstrapRole, context: BootstrapContext): string {
  const name = machineName(machine);
  const kubelet = requiredVersion(machine, "kubelet");
  const files: WriteFile[] = [];
  const kubeletExtraArgs = kubeletArgs(context);
  let documents: KubeadmDocument[];
  if (role === "init") {
    files.push(...keyFiles(context.pki));
    documents = renderInitDocuments({ ...context.cluster, ...optional(kubeletExtraArgs) }, context.token);
  } else {
    const controlPlane = role === "control-plane-join";
    if (controlPlane) files.push(...keyFiles(context.pki));
    documents = [
      renderJoinDocument({
        // The joining machine's own kubeadm reads this file: its version picks the API.
        kubernetesVersion: controlPlane ? requiredVersion(machine, "controlPlane") : kubelet,
        endpointHost: context.cluster.endpointHost,
        token: context.token.token,
        caCertHash: caCertHash(context.pki.ca.cert),
        controlPlane,
        ...optional(kubeletExtraArgs),
      }),
    ];
  }
  files.push(
    { path: KUBEADM_CONFIG_PATH, owner: "root:root", permissions: "0600", content: kubeadmYaml(documents) },
    { path: KUBELET_CHECK_PATH, owner: "root:root", permissions: "0700", content: KUBELET_CHECK_SCRIPT },
  );
  const config = {
    write_files: files,
    runcmd: [
      // runcmd is one /bin/sh script: without -e kubeadm would still run after a failed check.
      "set -e",
      [KUBELET_CHECK_PATH, kubelet.text],
      role === "init"
        ? ["kubeadm", "init", "--config", KUBEADM_CONFIG_PATH]
        : ["kubeadm", "join", "--config", KUBEADM_CONFIG_PATH],
    ],
  };
  const body = `#cloud-config\n${stringify(config, { lineWidth: 0 })}`;
  const template = context.providerIdTemplate;
  if (refusedSyntax(template ? body.replaceAll(template, "") : body)) {
    // Cannot come from our templates; a value smuggling template syntax in is refused, not passed on.
    throw new InvalidConfigurationError(
      `Machine ${name}: bootstrap data would contain Terraform or jinja template syntax ("\${", "%{", "{{", "{%" or "{#"); check the Cluster's names and network settings`,
    );
  }
  return template ? `${JINJA_HEADER}${body}` : body;
}

function kubeletArgs(context: BootstrapContext): Record<string, string> | undefined {
  const args = {
    ...context.cluster.kubeletExtraArgs,
    ...(context.providerIdTemplate ? { "provider-id": context.providerIdTemplate } : {}),
  };
  return Object.keys(args).length > 0 ? args : undefined;
}

function optional(kubeletExtraArgs: Record<string, string> | undefined) {
  return kubeletExtraArgs ? { kubeletExtraArgs } : {};
}

/** Terraform's template syntax (the text is a variable value), and jinja's (cloud-init renders it). */
function refusedSyntax(text: string): boolean {
  return ["${", "%{", "{{", "{%", "{#"].some((syntax) => text.includes(syntax));
}

/**
 * Throws when the data, gzipped as the stack sends it, is over AWS's
 * 16,384-byte user data limit; returns the compressed size otherwise.
 */
export function checkBootstrapDataSize(machine: Machine, text: string): number {
  const compressed = gzipSync(Buffer.from(text, "utf8")).length;
  if (compressed > USER_DATA_LIMIT_BYTES) {
    throw new InvalidConfigurationError(
      `Machine ${machineName(machine)}: bootstrap data is ${compressed} bytes after gzip, over the ${USER_DATA_LIMIT_BYTES}-byte user data limit (lower the number of extra arguments, or bring a smaller CA)`,
    );
  }
  return compressed;
}

function keyFiles(pki: ClusterPki): WriteFile[] {
  const file = (path: string, content: string): WriteFile => ({
    path: `${PKI_DIR}/${path}`,
    owner: "root:root",
    permissions: "0600",
    content,
  });
  return [
    file("ca.crt", pki.ca.cert),
    file("ca.key", pki.ca.key),
    file("etcd/ca.crt", pki.etcd.cert),
    file("etcd/ca.key", pki.etcd.key),
    file("front-proxy-ca.crt", pki.frontProxy.cert),
    file("front-proxy-ca.key", pki.frontProxy.key),
    file("sa.pub", pki.serviceAccount.publicKey),
    file("sa.key", pki.serviceAccount.key),
  ];
}

function kubeadmYaml(documents: readonly KubeadmDocument[]): string {
  return documents.map((document) => stringify(document, { lineWidth: 0 })).join("---\n");
}

function requiredVersion(machine: Machine, field: "kubelet" | "controlPlane"): KubeVersion {
  const value = machine.spec.versions?.[field] ?? "";
  const version = parseKubeVersion(value);
  if (!version) {
    throw new InvalidConfigurationError(
      `Machine ${machineName(machine)}: spec.versions.${field}: "${value}" is not a Kubernetes version (run checkBootstrapVersions first)`,
    );
  }
  return version;
}

function machineName(machine: Machine): string {
  return `${machine.metadata.namespace ?? "default"}/${machine.metadata.name ?? "(unnamed)"}`;
}
