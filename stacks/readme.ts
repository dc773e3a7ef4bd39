import type { BackendSettings, ClusterModel } from "../src/model/types.js";
import { instanceAddress } from "./adoption.js";
import type { StackOptions, SynthesizedStack } from "./synthesize.js";

/**
 * README.md for an exported cluster directory: which Cluster it is, how a
 * pipeline runs it unchanged, and which environment variables the provider
 * and the backend read (credentials are never in cdk.tf.json).
 */
export function stackReadme(
  model: ClusterModel,
  stack: Pick<SynthesizedStack, "summary">,
  options: StackOptions = {},
): string {
  const label = `${model.namespace}/${model.name}`;
  return [
    `# Cluster ${label}: Terraform configuration`,
    "",
    "Written by `clusterform synth` (or the controller's `--export-dir`) from the Cluster's manifests.",
    "Regenerate it instead of editing `cdk.tf.json`: the same manifests always give the same bytes.",
    "",
    `- Resources: ${stack.summary}`,
    `- Machines: ${model.machines.map((m) => m.name).join(", ") || "none"}`,
    ...(options.awsEndpoint ? [`- AWS endpoint: ${options.awsEndpoint} (set at synth time)`] : []),
    `- State: ${describeBackend(model.backend)}`,
    "",
    "## Run it",
    "",
    "```sh",
    "terraform init -input=false",
    "terraform plan -input=false -out=plan.tfplan   # -detailed-exitcode: 0 no changes, 2 changes",
    "terraform apply -input=false plan.tfplan",
    "```",
    "",
    "Terraform >= 1.10 or OpenTofu >= 1.10 (S3 lock files; `removed` blocks need 1.7).",
    sharedStateNote(model.backend),
    "",
    "## Environment",
    "",
    ...environmentLines(model),
    ...adoptionSection(model),
    "",
  ].join("\n");
}

function describeBackend(backend: BackendSettings | undefined): string {
  if (backend === undefined || backend.type === "local")
    return "local file `terraform.tfstate` in this directory";
  if (backend.type === "kubernetes")
    return `kubernetes backend: Secret \`tfstate-default-${backend.secretSuffix}\` in namespace \`${backend.namespace}\``;
  const where = backend.endpoint ? ` at ${backend.endpoint}` : "";
  return `s3 backend: \`s3://${backend.bucket}/${backend.key}\` (region ${backend.region}${where}), locked with an S3 lock file`;
}

function sharedStateNote(backend: BackendSettings | undefined): string {
  if (backend === undefined || backend.type === "local") {
    return [
      "",
      "The state is local: this directory does not share it with clusterform's own working",
      "directory. To let a pipeline and clusterform converge the same resources, give the Cluster a",
      "shared backend (annotation `clusterform.io/backend: s3` or `kubernetes`).",
    ].join("\n");
  }
  return [
    "",
    "The state is shared: clusterform and this directory read and lock the same state, so a plan",
    "here right after clusterform converged the cluster shows no changes.",
  ].join("\n");
}

function environmentLines(model: ClusterModel): string[] {
  const lines =
    model.provider === "aws"
      ? [
          "- AWS provider: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`), or `AWS_PROFILE`,",
          "  or the instance's role.",
        ]
      : ["- vSphere provider: `VSPHERE_USER` and `VSPHERE_PASSWORD`."];
  const backend = model.backend;
  if (backend?.type === "s3")
    lines.push("- S3 backend: the same `AWS_*` variables (or `AWS_PROFILE`) with access to the bucket.");
  if (backend?.type === "kubernetes")
    lines.push(
      "- Kubernetes backend: `KUBE_CONFIG_PATH` (a kubeconfig for the management cluster), or",
      "  `KUBE_IN_CLUSTER_CONFIG=true` in a pod.",
    );
  lines.push(
    "- Offline providers: `TF_CLI_CONFIG_FILE` naming a CLI config with a `filesystem_mirror`",
    "  (clusterform writes one in `.runner/cli.tfrc` of its own working directories).",
  );
  return lines;
}

function adoptionSection(model: ClusterModel): string[] {
  const imports = model.machines.filter((m) => m.adoptId !== undefined);
  const orphans = model.orphanedMachines ?? [];
  if (imports.length === 0 && orphans.length === 0) return [];
  return [
    "",
    "## Imports and forgotten instances",
    "",
    ...imports.map(
      (m) => `- \`${instanceAddress(model.provider, m.name)}\` imports existing \`${m.adoptId}\``,
    ),
    ...orphans.map((name) => `- \`${instanceAddress(model.provider, name)}\` is forgotten, not destroyed`),
  ];
}
