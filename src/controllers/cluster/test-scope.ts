import type { Machine } from "../../api/machine.js";
import { AWS_MACHINE_SPEC, awsCluster, machine } from "../../model/test-objects.js";
import type { ClusterScope } from "./scope.js";

// Scopes for the unit tests: one AWS cluster "demo" in "default" with the given Machines.

export function awsMachine(name: string, extra: Partial<Machine["metadata"]> = {}): Machine {
  const m = machine(name, "demo", { value: { ...AWS_MACHINE_SPEC } });
  return { ...m, metadata: { ...m.metadata, namespace: "default", generation: 1, ...extra } };
}

export function testScope(machines: Machine[], extra: Partial<ClusterScope> = {}): ClusterScope {
  const cluster = awsCluster("demo", "default");
  return {
    key: { namespace: "default", name: "demo" },
    cluster: { ...cluster, metadata: { ...cluster.metadata, generation: 1 } },
    machines,
    machineClasses: [],
    configMaps: [],
    workDir: "/nonexistent/default/demo",
    provisioning: new Set(),
    ...extra,
  };
}

/** Outputs as the AWS stack writes them for running instances. */
export function awsOutputs(instances: Record<string, string>) {
  const machines: Record<string, unknown> = {};
  for (const [name, id] of Object.entries(instances)) {
    machines[name] = {
      instance_id: id,
      private_ip: "10.0.1.10",
      private_dns: "ip-10-0-1-10.ec2.internal",
      state: "running",
    };
  }
  return {
    machines: { value: machines, sensitive: false },
    cluster: { value: { vpc_id: "vpc-1", subnet_ids: ["subnet-1"] }, sensitive: false },
  };
}
