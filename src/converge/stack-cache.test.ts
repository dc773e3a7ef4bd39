import { describe, expect, it } from "vitest";
import type { Machine } from "../api/machine.js";
import { buildModels } from "../model/build.js";
import { AWS_MACHINE_SPEC, awsCluster, machine } from "../model/test-objects.js";
import type { ClusterModel } from "../model/types.js";
import { hashModel, StackCache } from "./stack-cache.js";

function awsMachine(name: string, extra: Partial<Machine["metadata"]> = {}): Machine {
  const m = machine(name, "demo", { value: { ...AWS_MACHINE_SPEC } });
  return { ...m, metadata: { ...m.metadata, namespace: "default", generation: 1, ...extra } };
}

function modelOf(machines = [awsMachine("a")]): ClusterModel {
  const result = buildModels({ clusters: [awsCluster("demo", "default")], machines, machineClasses: [] });
  const model = result.models[0];
  if (!model) throw new Error(JSON.stringify(result));
  return model;
}

describe("hashModel", () => {
  it("ignores what the controller writes: status, resourceVersion, finalizers, spec.providerID", () => {
    const before = modelOf([awsMachine("a")]);
    const written = awsMachine("a", { resourceVersion: "42", finalizers: ["machine.cluster.k8s.io"] });
    written.status = { phase: "Running" };
    written.spec = { ...written.spec, providerID: "aws:////i-1" };
    expect(hashModel(modelOf([written]))).toBe(hashModel(before));
  });

  it("changes when a machine's provider spec changes", () => {
    const bigger = awsMachine("a");
    bigger.spec.providerSpec = {
      value: { ...(bigger.spec.providerSpec?.value as object), instanceType: "t3.large" },
    };
    expect(hashModel(modelOf([bigger]))).not.toBe(hashModel(modelOf()));
  });

  it("changes when the AWS endpoint changes", () => {
    expect(hashModel(modelOf(), "http://127.0.0.1:1")).not.toBe(hashModel(modelOf()));
  });
});

describe("StackCache", () => {
  it("synthesizes once for an unchanged model and again after a change", () => {
    const cache = new StackCache({ awsEndpoint: "http://127.0.0.1:5000" });
    const first = cache.synth(modelOf());
    const again = cache.synth(modelOf());
    expect(again).toBe(first);
    expect(cache.synthesized).toBe(1);
    const grown = cache.synth(modelOf([awsMachine("a"), awsMachine("b")]));
    expect(cache.synthesized).toBe(2);
    expect(grown.configHash).not.toBe(first.configHash);
    expect(grown.summary).toMatch(/2 instances/);
  });
});
