import { describe, expect, it } from "vitest";
import type { Cluster } from "../api/cluster.js";
import type { Machine } from "../api/machine.js";
import { computeClusterStatus } from "./cluster-status.js";
import { computeMachineStatus } from "./machine-status.js";
import { observeStack } from "./outputs.js";

const now = new Date("2026-03-01T10:00:00Z");
const later = new Date("2026-03-01T10:10:00Z");

const machine = (extra: Partial<Machine["metadata"]> = {}): Machine => ({
  apiVersion: "cluster.k8s.io/v1alpha1",
  kind: "Machine",
  metadata: { name: "cp-0", namespace: "default", generation: 3, ...extra },
  spec: { providerSpec: { value: {} }, versions: { kubelet: "1.13.6", controlPlane: "1.13.6" } },
});

const cluster: Cluster = {
  apiVersion: "cluster.k8s.io/v1alpha1",
  kind: "Cluster",
  metadata: { name: "c1", namespace: "default", generation: 2 },
  spec: {},
};

const awsOutputs = {
  machines: {
    value: {
      "cp-0": {
        instance_id: "i-0abc",
        private_ip: "10.0.0.5",
        public_ip: "54.1.2.3",
        private_dns: "ip-10-0-0-5.ec2.internal",
        state: "running",
      },
      "w-0": {
        instance_id: "i-0def",
        private_ip: "10.0.0.6",
        public_ip: "",
        private_dns: "",
        state: "stopped",
      },
    },
  },
  cluster: { value: { vpc_id: "vpc-1", subnet_ids: ["subnet-1"], api_endpoint: "10.0.0.5:6443" } },
  kubeconfig: { value: "secret!", sensitive: true },
  region: { value: "us-east-1" },
};

describe("machine status", () => {
  it("is Running and Ready with providerID and addresses when the instance runs", () => {
    const observed = observeStack("aws", awsOutputs);
    const status = computeMachineStatus({
      machine: machine(),
      observation: observed.machines.get("cp-0"),
      provisioning: false,
      now,
    });
    expect(status.providerID).toBe("aws:////i-0abc");
    expect(status.phase).toBe("Running");
    expect(status.addresses).toEqual([
      { type: "InternalIP", address: "10.0.0.5" },
      { type: "ExternalIP", address: "54.1.2.3" },
      { type: "InternalDNS", address: "ip-10-0-0-5.ec2.internal" },
    ]);
    expect(status.providerStatus).toEqual({ instanceID: "i-0abc", instanceState: "running" });
    expect(status.conditions).toEqual([
      {
        type: "Ready",
        status: "True",
        reason: "InstanceRunning",
        lastTransitionTime: now.toISOString(),
        observedGeneration: 3,
      },
    ]);
    expect(status.observedGeneration).toBe(3);
  });

  it("is Provisioned but not Ready while the instance is not running, and omits empty addresses", () => {
    const observed = observeStack("aws", awsOutputs);
    const status = computeMachineStatus({
      machine: machine({ name: "w-0" }),
      observation: observed.machines.get("w-0"),
      provisioning: false,
      now,
    });
    expect(status.phase).toBe("Provisioned");
    expect(status.addresses).toEqual([{ type: "InternalIP", address: "10.0.0.6" }]);
    expect(status.conditions?.[0]).toMatchObject({ status: "False", reason: "InstanceNotRunning" });
  });

  it("is Provisioning while a run creates it and Pending before any run", () => {
    expect(computeMachineStatus({ machine: machine(), provisioning: true, now }).phase).toBe("Provisioning");
    expect(computeMachineStatus({ machine: machine(), provisioning: false, now }).phase).toBe("Pending");
  });

  it("is Failed with errorReason only for terminal errors; transient errors stay in conditions", () => {
    const terminal = computeMachineStatus({
      machine: machine(),
      provisioning: false,
      error: {
        reason: "InvalidConfiguration",
        message: "spec.providerSpec.value.instanceType: required",
        terminal: true,
      },
      now,
    });
    expect(terminal).toMatchObject({ phase: "Failed", errorReason: "InvalidConfiguration" });
    expect(terminal.observedGeneration).toBeUndefined();
    const transient = computeMachineStatus({
      machine: machine(),
      provisioning: false,
      error: { reason: "TerraformFailed", message: "connection refused", terminal: false },
      now,
    });
    expect(transient.errorReason).toBeUndefined();
    expect(transient.phase).toBe("Pending");
    expect(transient.conditions?.[0]).toMatchObject({ status: "False", reason: "TerraformFailed" });
  });

  it("is Deleting when the object has a deletionTimestamp", () => {
    const status = computeMachineStatus({
      machine: machine({ deletionTimestamp: now.toISOString() }),
      provisioning: false,
      now,
    });
    expect(status.phase).toBe("Deleting");
  });

  it("reads vSphere outputs into a vsphere:// providerID", () => {
    const observed = observeStack("vsphere", {
      machines: { value: { m1: { uuid: "4211-aa", default_ip: "192.168.1.10", moid: "vm-42" } } },
    });
    expect(observed.machines.get("m1")).toMatchObject({
      providerID: "vsphere://4211-aa",
      addresses: [{ type: "InternalIP", address: "192.168.1.10" }],
    });
  });
});

describe("cluster status", () => {
  it("carries the API endpoint, network ids and non-sensitive outputs, never sensitive ones", () => {
    const observed = observeStack("aws", awsOutputs);
    const status = computeClusterStatus({
      cluster,
      observation: observed.cluster,
      outputs: observed.outputs,
      machineStatuses: [],
      provisioning: false,
      now,
    });
    expect(status.apiEndpoints).toEqual([{ host: "10.0.0.5", port: 6443 }]);
    expect(status.providerStatus).toEqual({ vpcID: "vpc-1", subnetIDs: ["subnet-1"] });
    expect(status.outputs).toEqual({ region: "us-east-1" });
    expect(JSON.stringify(status)).not.toContain("secret!");
    expect(observed.sensitiveOutputs).toEqual(["kubeconfig"]);
    expect(status.phase).toBe("Provisioned");
  });

  it("is Ready only when every machine is Ready, naming the ones that are not", () => {
    const observed = observeStack("aws", awsOutputs);
    const machineStatuses = ["cp-0", "w-0"].map((name) => ({
      name,
      status: computeMachineStatus({
        machine: machine({ name }),
        observation: observed.machines.get(name),
        provisioning: false,
        now,
      }),
    }));
    const status = computeClusterStatus({
      cluster,
      observation: observed.cluster,
      machineStatuses,
      provisioning: false,
      now,
    });
    const ready = status.conditions?.find((c) => c.type === "Ready");
    expect(ready).toMatchObject({
      status: "False",
      reason: "MachinesNotReady",
      message: "machines not ready: w-0",
    });
    const types = status.conditions?.map((c) => c.type);
    expect(types).toEqual(["InfrastructureReady", "Ready", "PlanPending", "Drifted"]);
  });

  it("keeps conditions it does not own and their transition times across passes", () => {
    const first = computeClusterStatus({ cluster, machineStatuses: [], provisioning: false, now });
    const second = computeClusterStatus({
      cluster: { ...cluster, status: first },
      machineStatuses: [],
      provisioning: false,
      now: later,
    });
    expect(second.conditions).toEqual(first.conditions);
    expect(second.phase).toBe("Pending");
  });
});
