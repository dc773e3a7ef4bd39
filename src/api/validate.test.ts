import { describe, expect, it } from "vitest";
import { AWS_MACHINE_SPEC, awsCluster, machine, machineClass, machineSet } from "../model/test-objects.js";
import { formatFieldError } from "./field-error.js";
import { rememberSource } from "./source.js";
import { validateManifest, validateManifests, validateObject } from "./validate.js";

const errorsOf = (object: unknown) => validateObject(object).map(formatFieldError);

describe("validateObject", () => {
  it("accepts a valid object of each kind", () => {
    for (const object of [
      awsCluster("c"),
      machine("w1", "c", { value: AWS_MACHINE_SPEC }),
      machineSet("pool", "c", 2),
      machineClass("small", { value: AWS_MACHINE_SPEC }),
      machineClass("raw", AWS_MACHINE_SPEC),
    ]) {
      expect(errorsOf(object)).toEqual([]);
    }
  });

  it("accepts clusterform's cloudCredentials extension on an AWS cluster, and refuses typos in it", () => {
    const withCredentials = (cloudCredentials: unknown) => {
      const cluster = awsCluster("c");
      Object.assign(cluster.spec.providerSpec?.value as object, { cloudCredentials });
      return cluster;
    };
    expect(errorsOf(withCredentials({ createAccessKey: true }))).toEqual([]);
    expect(errorsOf(withCredentials({ createAccesKey: true }))).toEqual([
      "Cluster default/c: spec.providerSpec.value.cloudCredentials.createAccesKey: unknown field",
    ]);
    expect(errorsOf(withCredentials({ createAccessKey: "yes" }))).toEqual([
      "Cluster default/c: spec.providerSpec.value.cloudCredentials.createAccessKey: must be a boolean",
    ]);
  });

  it("names the object and the missing field", () => {
    const { instanceType: _, ...spec } = AWS_MACHINE_SPEC;
    expect(errorsOf(machine("w1", "c", { value: spec }))).toEqual([
      "Machine default/w1: spec.providerSpec.value.instanceType: required",
    ]);
  });

  it("reports schema violations at their paths, every one at once", () => {
    const set = machineSet("pool", "c", 1) as unknown as Record<string, Record<string, unknown>>;
    Object.assign(set.spec as object, { replicas: "two", deletePolicy: "Largest", paused: true });
    expect(errorsOf(set)).toEqual([
      "MachineSet default/pool: spec.paused: unknown field",
      "MachineSet default/pool: spec.replicas: must be an integer",
      'MachineSet default/pool: spec.deletePolicy: must be one of "Random", "Newest", "Oldest"',
    ]);
  });

  it("reports a non-object, a missing kind and a missing name", () => {
    expect(errorsOf("text")).toEqual([
      "manifest: expected a Kubernetes object: a mapping with apiVersion, kind and metadata",
    ]);
    expect(errorsOf({ apiVersion: "cluster.k8s.io/v1alpha1" })).toEqual(["manifest: kind: required"]);
    const nameless = awsCluster("c");
    nameless.metadata = {};
    expect(errorsOf(nameless)).toEqual(["Cluster (unnamed): metadata.name: required"]);
  });

  it("rejects names and namespaces that are not DNS-1123", () => {
    const cluster = awsCluster("C1", "Team_A");
    expect(errorsOf(cluster).map((e) => e.split(": ")[1])).toEqual(["metadata.name", "metadata.namespace"]);
    expect(errorsOf(awsCluster("a".repeat(254)))[0]).toContain("longer than 253 characters");
  });

  it("accepts an int-or-string maxSurge and rejects anything else there", () => {
    const deployment = { ...machineSet("web", "c", 1), kind: "MachineDeployment" } as Record<string, unknown>;
    const withSurge = (maxSurge: unknown) => ({
      ...deployment,
      spec: { ...(deployment.spec as object), strategy: { rollingUpdate: { maxSurge } } },
    });
    expect(errorsOf(withSurge("25%"))).toEqual([]);
    expect(errorsOf(withSurge(1))).toEqual([]);
    expect(errorsOf(withSurge(true))).toEqual([
      "MachineDeployment default/web: spec.strategy.rollingUpdate.maxSurge: must be an integer or a string",
    ]);
  });

  it("rejects a Cluster provider spec written for a Machine, and one without a provider spec", () => {
    const cluster = awsCluster("c");
    cluster.spec.providerSpec = { value: AWS_MACHINE_SPEC };
    expect(errorsOf(cluster)).toEqual([
      "Cluster default/c: spec.providerSpec.value.kind: AWSMachineProviderSpec is a machine provider spec: a Cluster needs AWSClusterProviderSpec",
    ]);
  });

  it("accepts the alternative provider apiVersion awsprovider.k8s.io/v1alpha1", () => {
    const spec = { ...AWS_MACHINE_SPEC, apiVersion: "awsprovider.k8s.io/v1alpha1" };
    expect(errorsOf(machine("w1", "c", { value: spec }))).toEqual([]);
  });

  it("requires an AMI id or filters", () => {
    expect(errorsOf(machine("w1", "c", { value: { ...AWS_MACHINE_SPEC, ami: {} } }))).toEqual([
      "Machine default/w1: spec.providerSpec.value.ami: set id (an AMI id) or filters",
    ]);
  });

  it("checks vSphere static addresses and gateways", () => {
    const spec = {
      apiVersion: "vsphereproviderconfig/v1alpha1",
      kind: "VsphereMachineProviderSpec",
      template: "ubuntu",
      datastore: "ds1",
      network: {
        devices: [
          {
            networkName: "VM Network",
            ipAddrs: ["192.168.1.10/24", "192.168.1.300/24"],
            gateway4: "fd00::1",
          },
        ],
      },
    };
    expect(errorsOf(machine("w1", "c", { value: spec }))).toEqual([
      'Machine default/w1: spec.providerSpec.value.network.devices[0].ipAddrs[1]: "192.168.1.300/24" is not a valid CIDR: write an address and a prefix length, e.g. 10.0.0.0/16',
      'Machine default/w1: spec.providerSpec.value.network.devices[0].gateway4: "fd00::1" is not an IPv4 address',
    ]);
  });

  it("rejects a MachineSet whose cluster labels disagree", () => {
    const set = machineSet("pool", "c", 1);
    set.spec.selector.matchLabels = { pool: "pool", "cluster.k8s.io/cluster-name": "other" };
    set.spec.template = {
      ...set.spec.template,
      metadata: { labels: { pool: "pool", "cluster.k8s.io/cluster-name": "other" } },
    };
    expect(errorsOf(set)).toEqual([
      'MachineSet default/pool: spec.template.metadata.labels[cluster.k8s.io/cluster-name]: "other" disagrees with metadata.labels[cluster.k8s.io/cluster-name]="c"',
    ]);
  });

  it("treats strings that look like Terraform expressions as plain values", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal hostile string on purpose
    const hostile = '${file("/etc/passwd")}%{ for x in y }${TfToken[TOKEN.9]}';
    const spec = { ...AWS_MACHINE_SPEC, additionalTags: { note: hostile }, keyName: hostile };
    expect(validateManifest(machine("w1", "c", { value: spec })).ok).toBe(true);
  });
});

describe("validateManifests", () => {
  it("rejects the second object of the same kind, namespace and name, naming where the first came from", () => {
    const first = awsCluster("c");
    const second = awsCluster("c");
    rememberSource(first, "a.yaml#1");
    rememberSource(second, "b.yaml#1");
    const result = validateManifests([
      first,
      second,
      { ...awsCluster("c"), kind: "Cluster", metadata: { name: "c", namespace: "x" } },
    ]);
    expect(result.errors.map(formatFieldError)).toEqual([
      "Cluster default/c: metadata.name: duplicate: Cluster default/c is already defined (a.yaml#1)",
    ]);
    expect(result.errors[0]?.source).toBe("b.yaml#1");
    expect(result.objects.clusters).toHaveLength(2);
    expect(result.rejected.map((r) => r.object)).toEqual([second]);
  });

  it("does not count objects of different kinds with one name as duplicates", () => {
    const result = validateManifests([
      machineSet("pool", "c", 1),
      { ...machineSet("pool", "c", 1), kind: "MachineDeployment" },
    ]);
    expect(result.errors).toEqual([]);
  });

  it("rejects a template naming a MachineClass no manifest defines, and accepts it once defined", () => {
    const set = machineSet("pool", "c", 1);
    if (set.spec.template?.spec)
      set.spec.template.spec.providerSpec = { valueFrom: { machineClass: { name: "small" } } };
    expect(validateManifests([set]).errors.map(formatFieldError)).toEqual([
      "MachineSet default/pool: spec.template.spec.providerSpec.valueFrom.machineClass: MachineClass default/small not found",
    ]);
    expect(validateManifests([set, machineClass("small", { value: AWS_MACHINE_SPEC })]).errors).toEqual([]);
  });
});
