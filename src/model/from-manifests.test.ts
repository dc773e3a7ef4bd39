import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AWSMachineProviderSpec } from "../api/provider-aws.js";
import { modelsFromManifests } from "./from-manifests.js";

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
