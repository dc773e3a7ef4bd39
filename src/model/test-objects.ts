import type { Cluster } from "../api/cluster.js";
import type { Machine } from "../api/machine.js";
import type { MachineClass } from "../api/machine-class.js";
import type { MachineSet } from "../api/machine-set.js";
import { API_VERSION, CLUSTER_NAME_LABEL } from "../api/meta.js";

// Small valid objects for the model's unit tests; each test changes what it is about.

export const AWS_MACHINE_SPEC = {
  apiVersion: "awsprovider/v1alpha1",
  kind: "AWSMachineProviderSpec",
  ami: { id: "ami-04681a1dbd79675a5" },
  instanceType: "t3.micro",
};

export function awsCluster(name: string, namespace?: string): Cluster {
  return {
    apiVersion: API_VERSION,
    kind: "Cluster",
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      providerSpec: {
        value: { apiVersion: "awsprovider/v1alpha1", kind: "AWSClusterProviderSpec", region: "us-east-1" },
      },
    },
  };
}

export function machine(
  name: string,
  cluster: string,
  providerSpec: Machine["spec"]["providerSpec"],
): Machine {
  return {
    apiVersion: API_VERSION,
    kind: "Machine",
    metadata: { name, labels: { [CLUSTER_NAME_LABEL]: cluster } },
    spec: { providerSpec, versions: { kubelet: "1.13.6" } },
  };
}

export function machineClass(
  name: string,
  providerSpec: Record<string, unknown>,
  namespace?: string,
): MachineClass {
  return {
    apiVersion: API_VERSION,
    kind: "MachineClass",
    metadata: { name, ...(namespace ? { namespace } : {}) },
    providerSpec,
  };
}

export function machineSet(name: string, cluster: string, replicas: number): MachineSet {
  return {
    apiVersion: API_VERSION,
    kind: "MachineSet",
    metadata: { name, labels: { [CLUSTER_NAME_LABEL]: cluster } },
    spec: {
      replicas,
      selector: { matchLabels: { pool: name } },
      template: {
        metadata: { labels: { pool: name } },
        spec: { providerSpec: { value: { ...AWS_MACHINE_SPEC } }, versions: { kubelet: "1.13.6" } },
      },
    },
  };
}
