import type { ConvergeOptions } from "../../src/converge/options.js";
import { sandboxAwsEnv } from "../../src/sandbox/moto.js";

// The AWS manifests and converge options the Terraform end-to-end tests share.

/** An AMI the emulator (moto 5.2) serves in every region. */
export const TEST_AMI = "ami-04681a1dbd79675a5";

/**
 * Infrastructure-focused tests opt out of bootstrapping (their Machines stay
 * bare instances): what they test does not depend on kubeadm data, and a
 * bootstrapped AWS cluster needs a control-plane Machine and, by default, a
 * load balancer the emulator takes ~60 s to make. The bootstrap tests say
 * `bootstrap: true`.
 */
export const BOOTSTRAP_DISABLED = { "clusterform.io/bootstrap": "disabled" } as const;

/**
 * A Cluster with a new VPC `<net>.0.0/16` and one subnet `<net>.1.0/24` (net
 * e.g. "10.1"), or on an existing network (`network`: bring-your-own ids).
 * Not bootstrapped unless `bootstrap` (see BOOTSTRAP_DISABLED).
 */
export function awsClusterYaml(options: {
  name: string;
  namespace: string;
  net?: string;
  network?: { vpcId: string; subnetId: string };
  annotations?: Record<string, string>;
  bootstrap?: boolean;
}): string {
  const all = { ...(options.bootstrap ? {} : BOOTSTRAP_DISABLED), ...options.annotations };
  const annotations = Object.keys(all).length > 0 ? `\n  annotations: ${JSON.stringify(all)}` : "";
  const network = options.network
    ? `vpc: {id: ${options.network.vpcId}}
        subnets: [{id: ${options.network.subnetId}}]`
    : `vpc: {cidrBlock: ${options.net}.0.0/16}
        subnets: [{cidrBlock: ${options.net}.1.0/24, availabilityZone: us-east-1a}]`;
  return `apiVersion: cluster.k8s.io/v1alpha1
kind: Cluster
metadata:
  name: ${options.name}
  namespace: ${options.namespace}${annotations}
spec:
  providerSpec:
    value:
      apiVersion: awsprovider/v1alpha1
      kind: AWSClusterProviderSpec
      region: us-east-1
      networkSpec:
        ${network}
`;
}

/** A Machine of `cluster`; `spec` is the provider spec's remaining YAML line(s) (default a t3.micro). */
export function awsMachineYaml(options: {
  name: string;
  namespace: string;
  cluster: string;
  spec?: string;
  annotations?: Record<string, string>;
}): string {
  const annotations = options.annotations ? `\n  annotations: ${JSON.stringify(options.annotations)}` : "";
  return `apiVersion: cluster.k8s.io/v1alpha1
kind: Machine
metadata:
  name: ${options.name}
  namespace: ${options.namespace}${annotations}
  labels: {cluster.k8s.io/cluster-name: ${options.cluster}}
spec:
  providerSpec:
    value:
      apiVersion: awsprovider/v1alpha1
      kind: AWSMachineProviderSpec
      ami: {id: ${TEST_AMI}}
      ${options.spec ?? "instanceType: t3.micro"}
`;
}

/** Converge options pointing Terraform at the emulator with sandbox credentials and the provider mirror. */
export function sandboxConverge(
  stateDir: string,
  endpoint: string,
  providerMirror: string,
  onEvent?: ConvergeOptions["onEvent"],
): ConvergeOptions {
  return {
    stateDir,
    awsEndpoint: endpoint,
    providerMirror,
    env: { ...process.env, ...sandboxAwsEnv(endpoint) },
    ...(onEvent ? { onEvent } : {}),
  };
}
