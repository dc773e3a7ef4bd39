import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatFieldError } from "../api/field-error.js";
import { MAX_MACHINES_PER_CLUSTER, MAX_REPLICAS } from "../api/limits.js";
import { parseManifests } from "../api/load.js";
import type { AWSMachineProviderSpec } from "../api/provider-aws.js";
import { modelsFromManifests, modelsFromObjects } from "./from-manifests.js";

const fixtures = join(import.meta.dirname, "..", "..", "fixtures");

describe("modelsFromManifests", () => {
  it("builds the AWS fixture into one cluster of five machines without errors", async () => {
    const result = await modelsFromManifests([join(fixtures, "aws")]);
    expect(result.allErrors).toEqual([]);
    expect(result.models).toHaveLength(1);
    const [model] = result.models;
    expect(model?.provider).toBe("aws");
    expect(model?.machines.map((m) => [m.name, m.role, m.machineClass])).toEqual([
      ["workload-cluster-1-controlplane-1", "control-plane", undefined],
      ["workload-cluster-1-machinedeployment-1-0", "node", "workload-cluster-1-machine"],
      ["workload-cluster-1-machinedeployment-1-1", "node", "workload-cluster-1-machine"],
      ["workload-cluster-1-machineset-1-0", "node", undefined],
      ["workload-cluster-1-machineset-1-1", "node", undefined],
    ]);
    const fromClass = model?.machines[1]?.providerSpec as AWSMachineProviderSpec;
    expect(fromClass.additionalTags).toEqual({ pool: "machinedeployment-1" });
    expect(model?.network).toEqual({
      serviceCidrs: ["100.64.0.0/13"],
      podCidrs: ["100.96.0.0/11"],
      serviceDomain: "cluster.local",
    });
  });

  it("builds the vSphere fixture, whose MachineClass uses the raw providerSpec shape", async () => {
    const result = await modelsFromManifests([join(fixtures, "vsphere")]);
    expect(result.allErrors).toEqual([]);
    const [model] = result.models;
    expect([model?.provider, model?.namespace, model?.machines.length]).toEqual(["vsphere", "vsphere", 5]);
    const fromClass = model?.machines.find((m) => m.machineClass);
    expect(fromClass?.providerSpec).toMatchObject({ kind: "VsphereMachineProviderSpec", memoryMiB: 2048 });
  });

  it("loads both fixture sets together without name clashes", async () => {
    const result = await modelsFromManifests([join(fixtures, "aws"), join(fixtures, "vsphere")]);
    expect(result.allErrors).toEqual([]);
    expect(result.models.map((m) => `${m.namespace}/${m.name}`)).toEqual([
      "default/workload-cluster-1",
      "vsphere/workload-cluster-1",
    ]);
  });

  it("gives the same models for the same files, whatever order they are named in", async () => {
    const files = ["cluster.yaml", "machineclass.yaml", "machinedeployment.yaml", "machineset.yaml"];
    const forward = await modelsFromManifests(files.map((f) => join(fixtures, "aws", f)));
    const backward = await modelsFromManifests([...files].reverse().map((f) => join(fixtures, "aws", f)));
    expect(JSON.stringify(backward.models)).toBe(JSON.stringify(forward.models));
  });

  it("reports a missing path as an error rather than throwing", async () => {
    const result = await modelsFromManifests([join(fixtures, "does-not-exist")]);
    expect(result.errors.map((e) => e.message)).toEqual(["no such file or directory"]);
    expect(result.models).toEqual([]);
  });
});

describe("bounds", () => {
  const cluster = `apiVersion: cluster.k8s.io/v1alpha1
kind: Cluster
metadata: {name: c, annotations: {clusterform.io/bootstrap: disabled}}
spec:
  providerSpec:
    value: {apiVersion: awsprovider/v1alpha1, kind: AWSClusterProviderSpec, region: us-east-1}
`;
  const set = (name: string, replicas: string) => `---
apiVersion: cluster.k8s.io/v1alpha1
kind: MachineSet
metadata: {name: ${name}, labels: {cluster.k8s.io/cluster-name: c}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {pool: p}}
  template:
    metadata: {labels: {pool: p}}
    spec:
      providerSpec:
        value: {apiVersion: awsprovider/v1alpha1, kind: AWSMachineProviderSpec, ami: {id: ami-04681a1dbd79675a5}, instanceType: t3.micro}
`;

  it.each(["100000000", "1e12", "4294967296", "1001"])(
    "rejects replicas: %s at once, naming the field",
    (replicas) => {
      const started = Date.now();
      const result = modelsFromObjects(
        parseManifests(cluster + set("pool", replicas), "m.yaml").documents.map((d) => d.object),
      );
      expect(result.allErrors.map(formatFieldError)).toEqual([
        `MachineSet default/pool: spec.replicas: must be at most ${MAX_REPLICAS}`,
      ]);
      expect(Date.now() - started).toBeLessThan(2000);
    },
  );

  it("rejects a Cluster whose owners together ask for more Machines than one Cluster may have", () => {
    const text = cluster + set("a", "600") + set("b", "600");
    const result = modelsFromObjects(parseManifests(text, "m.yaml").documents.map((d) => d.object));
    expect(result.models).toEqual([]);
    expect(result.allErrors.map((e) => `${e.name} ${e.path}`)).toEqual([
      "a spec.replicas",
      "b spec.replicas",
    ]);
    expect(result.allErrors[0]?.message).toContain(`at most ${MAX_MACHINES_PER_CLUSTER} per Cluster`);
  });

  it("builds a Cluster with exactly the maximum", () => {
    const result = modelsFromObjects(
      parseManifests(cluster + set("a", "1000"), "m.yaml").documents.map((d) => d.object),
    );
    expect(result.allErrors).toEqual([]);
    expect(result.models[0]?.machines).toHaveLength(MAX_MACHINES_PER_CLUSTER);
  });
});

describe("the seed's manifests (fixtures/seed)", () => {
  it("build as written: the MachineSet and the MachineDeployment share a name, their Machines do not", async () => {
    const result = await modelsFromManifests([join(fixtures, "seed")]);
    expect(result.allErrors).toEqual([]);
    expect(result.models[0]?.machines.map((m) => m.name)).toEqual([
      "workload-cluster-1-controlplane-1",
      "workload-cluster-1-machineset-1-0",
      "workload-cluster-1-machineset-1-1",
      "workload-cluster-1-machineset-1-2",
      "workload-cluster-1-machineset-1-md-0",
      "workload-cluster-1-machineset-1-md-1",
      "workload-cluster-1-machineset-1-md-2",
    ]);
  });
});
