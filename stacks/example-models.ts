import type { Cluster } from "../src/api/cluster.js";
import type { Machine } from "../src/api/machine.js";
import type { AWSClusterProviderSpec, AWSMachineProviderSpec } from "../src/api/provider-aws.js";
import type { VsphereClusterProviderSpec, VsphereMachineProviderSpec } from "../src/api/provider-vsphere.js";
import type { AwsClusterModel, MachineModel, VsphereClusterModel } from "../src/model/types.js";

// Small, hand-built models for stack tests and benchmarks: synthesis needs
// only a ClusterModel, not manifests or the validator.

export interface ExampleMachine<P> {
  name: string;
  role?: "control-plane" | "node";
  spec?: Partial<P>;
}

interface ExampleCluster<C, P> {
  name?: string;
  namespace?: string;
  spec?: Partial<C>;
  machines?: ExampleMachine<P>[];
}

/** An AWS cluster in us-east-1 with a default VPC; machines default to t3.micro on ami-12c6146b. */
export function exampleAwsModel(
  options: ExampleCluster<AWSClusterProviderSpec, AWSMachineProviderSpec> = {},
) {
  const namespace = options.namespace ?? "default";
  const name = options.name ?? "demo";
  const spec: AWSClusterProviderSpec = {
    apiVersion: "awsprovider/v1alpha1",
    kind: "AWSClusterProviderSpec",
    region: "us-east-1",
    ...options.spec,
  };
  const machines = (options.machines ?? []).map((machine) =>
    machineModel<AWSMachineProviderSpec>(namespace, name, machine, {
      apiVersion: "awsprovider/v1alpha1",
      kind: "AWSMachineProviderSpec",
      ami: { id: "ami-12c6146b" },
      instanceType: "t3.micro",
      ...machine.spec,
    }),
  );
  const model: AwsClusterModel = { ...base(namespace, name), provider: "aws", spec, machines };
  return model;
}

/** A vSphere cluster on vcenter.example.com, datacenter dc1; machines clone "ubuntu-template". */
export function exampleVsphereModel(
  options: ExampleCluster<VsphereClusterProviderSpec, VsphereMachineProviderSpec> = {},
) {
  const namespace = options.namespace ?? "default";
  const name = options.name ?? "demo";
  const spec: VsphereClusterProviderSpec = {
    apiVersion: "vsphereproviderconfig/v1alpha1",
    kind: "VsphereClusterProviderSpec",
    server: "vcenter.example.com",
    datacenter: "dc1",
    ...options.spec,
  };
  const machines = (options.machines ?? []).map((machine) =>
    machineModel<VsphereMachineProviderSpec>(namespace, name, machine, {
      apiVersion: "vsphereproviderconfig/v1alpha1",
      kind: "VsphereMachineProviderSpec",
      template: "ubuntu-template",
      datastore: "datastore1",
      network: { devices: [{ networkName: "VM Network", dhcp4: true }] },
      ...machine.spec,
    }),
  );
  const model: VsphereClusterModel = { ...base(namespace, name), provider: "vsphere", spec, machines };
  return model;
}

function base(namespace: string, name: string) {
  const cluster: Cluster = {
    apiVersion: "cluster.k8s.io/v1alpha1",
    kind: "Cluster",
    metadata: { name, namespace },
    spec: {},
  };
  return {
    namespace,
    name,
    cluster,
    network: { serviceCidrs: ["10.96.0.0/12"], podCidrs: ["192.168.0.0/16"], serviceDomain: "cluster.local" },
  };
}

function machineModel<P>(namespace: string, cluster: string, example: ExampleMachine<P>, providerSpec: P) {
  const machine: Machine = {
    apiVersion: "cluster.k8s.io/v1alpha1",
    kind: "Machine",
    metadata: { name: example.name, namespace, labels: { "cluster.k8s.io/cluster-name": cluster } },
    spec: { providerSpec: { value: providerSpec as unknown as Record<string, unknown> } },
  };
  const model: MachineModel<P> = {
    namespace,
    name: example.name,
    role: example.role ?? "node",
    machine,
    providerSpec,
  };
  return model;
}
