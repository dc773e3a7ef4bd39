import { describe, expect, it } from "vitest";
import { formatFieldError } from "../api/field-error.js";
import { MAX_MACHINES_PER_CLUSTER } from "../api/limits.js";
import type { Machine } from "../api/machine.js";
import { buildModels } from "./build.js";
import { expandMachines } from "./expand.js";
import { AWS_MACHINE_SPEC, awsCluster, machine, machineClass, machineSet } from "./test-objects.js";

const messages = (errors: Parameters<typeof formatFieldError>[0][]) => errors.map(formatFieldError);

describe("buildModels", () => {
  it("sorts models by namespace/name and machines by name", () => {
    const result = buildModels({
      clusters: [awsCluster("b"), awsCluster("a", "zz"), awsCluster("a")],
      machines: [
        machine("w2", "b", { value: AWS_MACHINE_SPEC }),
        machine("w1", "b", { value: AWS_MACHINE_SPEC }),
      ],
      machineClasses: [],
    });
    expect(result.models.map((m) => `${m.namespace}/${m.name}`)).toEqual(["default/a", "default/b", "zz/a"]);
    expect(result.models[1]?.machines.map((m) => m.name)).toEqual(["w1", "w2"]);
  });

  it("makes a machine control-plane when versions.controlPlane is set, else node", () => {
    const controlPlane = machine("cp", "c", { value: AWS_MACHINE_SPEC });
    controlPlane.spec.versions = { kubelet: "1.13.6", controlPlane: "1.13.6" };
    const result = buildModels({
      clusters: [awsCluster("c")],
      machines: [controlPlane, machine("n", "c", { value: AWS_MACHINE_SPEC })],
      machineClasses: [],
    });
    expect(result.models[0]?.machines.map((m) => m.role)).toEqual(["control-plane", "node"]);
  });

  it("marks only the cluster whose machine is broken invalid", () => {
    const broken = machine("w1", "bad", { value: { ...AWS_MACHINE_SPEC, instanceType: undefined } });
    const result = buildModels({
      clusters: [awsCluster("bad"), awsCluster("good")],
      machines: [broken, machine("w2", "good", { value: AWS_MACHINE_SPEC })],
      machineClasses: [],
    });
    expect(result.models.map((m) => m.name)).toEqual(["good"]);
    expect(result.invalid).toEqual([
      {
        namespace: "default",
        name: "bad",
        errors: [expect.objectContaining({ path: "spec.providerSpec.value.instanceType" })],
      },
    ]);
    expect(result.errors).toEqual([]);
  });

  it("resolves a MachineClass in the Machine's namespace unless the reference names one", () => {
    const local = machine("w1", "c", { valueFrom: { machineClass: { name: "small" } } });
    const remote = machine("w2", "c", {
      valueFrom: { machineClass: { name: "small", namespace: "shared" } },
    });
    const result = buildModels({
      clusters: [awsCluster("c")],
      machines: [local, remote],
      machineClasses: [
        machineClass("small", { value: { ...AWS_MACHINE_SPEC, instanceType: "t3.small" } }),
        machineClass("small", { ...AWS_MACHINE_SPEC, instanceType: "t3.nano" }, "shared"),
      ],
    });
    expect(
      result.models[0]?.machines.map((m) => [
        m.machineClass,
        m.providerSpec.kind,
        (m.providerSpec as typeof AWS_MACHINE_SPEC).instanceType,
      ]),
    ).toEqual([
      ["small", "AWSMachineProviderSpec", "t3.small"],
      ["small", "AWSMachineProviderSpec", "t3.nano"],
    ]);
  });

  it("gives each machine its own copy of a shared class's spec", () => {
    const result = buildModels({
      clusters: [awsCluster("c")],
      machines: ["w1", "w2"].map((name) =>
        machine(name, "c", { valueFrom: { machineClass: { name: "small" } } }),
      ),
      machineClasses: [machineClass("small", { value: AWS_MACHINE_SPEC })],
    });
    const [first, second] = result.models[0]?.machines ?? [];
    expect(first?.providerSpec).toEqual(second?.providerSpec);
    expect(first?.providerSpec).not.toBe(second?.providerSpec);
  });

  it("reports a provider spec from a class that does not match the cluster's provider", () => {
    const vsphere = {
      apiVersion: "vsphereproviderconfig/v1alpha1",
      kind: "VsphereMachineProviderSpec",
      template: "ubuntu",
      datastore: "ds1",
      network: { devices: [{ networkName: "VM Network" }] },
    };
    const result = buildModels({
      clusters: [awsCluster("c")],
      machines: [machine("w1", "c", { valueFrom: { machineClass: { name: "vm" } } })],
      machineClasses: [machineClass("vm", { value: vsphere })],
    });
    expect(messages(result.invalid[0]?.errors ?? [])).toEqual([
      "Machine default/w1: spec.providerSpec.valueFrom.machineClass: MachineClass vm holds a vsphere provider spec, but Cluster default/c uses aws",
    ]);
  });

  it("reports a machine whose cluster does not exist without blocking that cluster's neighbours", () => {
    const result = buildModels({
      clusters: [awsCluster("c")],
      machines: [
        machine("w1", "gone", { value: AWS_MACHINE_SPEC }),
        machine("w2", "c", { value: AWS_MACHINE_SPEC }),
      ],
      machineClasses: [],
    });
    expect(result.models[0]?.machines.map((m) => m.name)).toEqual(["w2"]);
    expect(messages(result.errors)).toEqual([
      "Machine default/w1: metadata.labels[cluster.k8s.io/cluster-name]: Cluster default/gone not found",
    ]);
  });

  it("never throws on malformed objects, reporting them instead", () => {
    const garbage = [null, 42, { kind: "Machine" }, { kind: "Machine", metadata: { labels: "x" } }];
    const result = buildModels({
      clusters: [{ kind: "Cluster", metadata: { name: "c" } } as never],
      machines: garbage as never,
      machineClasses: [{ kind: "MachineClass" } as never],
    });
    expect(result.models).toEqual([]);
    expect(result.invalid.map((c) => c.name)).toEqual(["c"]);
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it("accepts hostile strings as plain values: escaping them is the stack's job", () => {
    const hostile = {
      ...AWS_MACHINE_SPEC,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: these are literal hostile strings on purpose
      additionalTags: { a: "${var.x}", b: "%{if true}x%{endif}", c: "${TfToken[TOKEN.1]}" },
    };
    const result = buildModels({
      clusters: [awsCluster("c")],
      machines: [machine("w1", "c", { value: hostile })],
      machineClasses: [],
    });
    expect(result.invalid).toEqual([]);
    expect(result.models[0]?.machines[0]?.providerSpec).toMatchObject({
      additionalTags: hostile.additionalTags,
    });
  });

  it("refuses a Cluster with more Machines than one Terraform state may hold (the controllers' path)", () => {
    const machines = Array.from({ length: MAX_MACHINES_PER_CLUSTER + 1 }, (_, index) =>
      machine(`w-${index}`, "c", { value: AWS_MACHINE_SPEC }),
    );
    const result = buildModels({ clusters: [awsCluster("c")], machines, machineClasses: [] });
    expect(result.models).toEqual([]);
    expect(result.invalid[0]?.errors.map(formatFieldError)).toEqual([
      `Cluster default/c: metadata.name: has ${MAX_MACHINES_PER_CLUSTER + 1} Machines: at most ${MAX_MACHINES_PER_CLUSTER} per Cluster (one Terraform state); scale a MachineSet or MachineDeployment down`,
    ]);
  });

  it("refuses a Machine its Cluster cannot place: a zone of another region, or one no subnet is in", () => {
    const inZone = (zone: string) =>
      machine(`w-${zone}`, "c", { value: { ...AWS_MACHINE_SPEC, availabilityZone: zone } });
    const result = buildModels({
      clusters: [awsCluster("c")],
      machines: [inZone("us-east-1a"), inZone("us-east-1b"), inZone("eu-west-1a")],
      machineClasses: [],
    });
    expect(result.invalid[0]?.errors.map(formatFieldError)).toEqual([
      'Machine default/w-us-east-1b: spec.providerSpec.value.subnet: no subnet of the cluster is in availability zone "us-east-1b"; add one to the Cluster\'s networkSpec.subnets or name subnet.id',
      'Machine default/w-eu-west-1a: spec.providerSpec.value.availabilityZone: "eu-west-1a" is not an availability zone of region us-east-1 (such as us-east-1a)',
    ]);
  });

  it("defaults the cluster network when the Cluster sets none", () => {
    const result = buildModels({ clusters: [awsCluster("c")], machines: [], machineClasses: [] });
    expect(result.models[0]?.network).toEqual({
      serviceCidrs: ["10.96.0.0/12"],
      podCidrs: [],
      serviceDomain: "cluster.local",
    });
  });

  it("builds the same model from expanded Machines and from the controllers' Machine objects", () => {
    const set = machineSet("pool", "c", 2);
    const expanded = expandMachines({ machines: [], machineSets: [set], machineDeployments: [] }).machines;
    // What a MachineSet controller would create: same names, labels and spec, plus server fields.
    const created: Machine[] = expanded.map((m, index) => ({
      ...structuredClone(m),
      metadata: {
        ...structuredClone(m.metadata),
        namespace: "default",
        uid: `uid-${index}`,
        resourceVersion: "7",
        ownerReferences: [
          {
            apiVersion: "cluster.k8s.io/v1alpha1",
            kind: "MachineSet",
            name: "pool",
            uid: "u",
            controller: true,
          },
        ],
      },
    }));
    const fromFiles = buildModels({ clusters: [awsCluster("c")], machines: expanded, machineClasses: [] });
    const fromServer = buildModels({ clusters: [awsCluster("c")], machines: created, machineClasses: [] });
    const essentials = (result: typeof fromFiles) =>
      result.models[0]?.machines.map(({ namespace, name, role, providerSpec, machineClass }) => ({
        namespace,
        name,
        role,
        providerSpec,
        machineClass,
      }));
    expect(essentials(fromServer)).toEqual(essentials(fromFiles));
    expect(essentials(fromFiles)).toHaveLength(2);
  });
});
