// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform template syntax in plain strings is what these values are about.
import { describe, expect, it } from "vitest";
import { exampleVsphereModel } from "./example-models.js";
import { machineResourceAddress, synthesizeStack } from "./index.js";
import { allKeys, allStrings, templateSequences } from "./json-walk.test-helpers.js";

type Block = Record<string, unknown>;
type Tree = {
  resource: Record<string, Record<string, Block>>;
  data: Record<string, Record<string, Block>>;
  provider: { vsphere: Block[] };
  output: Record<string, { value: Record<string, unknown> }>;
};
const parse = (json: string) => JSON.parse(json) as Tree;

const smallModel = () =>
  exampleVsphereModel({
    machines: [
      {
        name: "demo-controlplane-0",
        role: "control-plane",
        spec: { numCPUs: 4, memoryMiB: 8192, diskGiB: 40 },
      },
      { name: "demo-worker-0", spec: { resourcePool: "pool-a", folder: "k8s/demo" } },
    ],
  });

describe("vSphere stack synthesis", () => {
  it("matches the reviewed snapshot of a small cluster", async () => {
    const stack = synthesizeStack(smallModel());
    await expect(stack.json).toMatchFileSnapshot("./__snapshots__/vsphere-small.tf.json.snap");
    expect(stack.summary).toBe("vsphere: 2 virtual machines (+6 data sources)");
  });

  it("is deterministic and keys each virtual machine by its Machine name", () => {
    const model = smallModel();
    const reversed = { ...model, machines: [...model.machines].reverse() };
    expect(synthesizeStack(reversed).json).toBe(synthesizeStack(model).json);
    expect(machineResourceAddress(model, "demo-worker-0")).toBe(
      "vsphere_virtual_machine.machine_demo-worker-0",
    );
    const alone = parse(synthesizeStack({ ...model, machines: model.machines.slice(0, 1) }).json);
    const both = parse(synthesizeStack(model).json);
    const id = "machine_demo-controlplane-0";
    expect(alone.resource.vsphere_virtual_machine?.[id]).toEqual(both.resource.vsphere_virtual_machine?.[id]);
  });

  it("looks each inventory object up once, however many machines use it", () => {
    const model = exampleVsphereModel({ machines: [{ name: "a" }, { name: "b" }, { name: "c" }] });
    const { data } = parse(synthesizeStack(model).json);
    for (const type of [
      "vsphere_datacenter",
      "vsphere_datastore",
      "vsphere_network",
      "vsphere_virtual_machine",
    ]) {
      expect(Object.keys(data[type] ?? {})).toHaveLength(1);
    }
  });

  it("configures server and certificate policy but never credentials", () => {
    const model = exampleVsphereModel({
      spec: { insecure: true, credentialsSecret: { name: "vsphere-creds" } },
      machines: [{ name: "a" }],
    });
    const tree = parse(synthesizeStack(model).json);
    expect(tree.provider.vsphere).toEqual([
      { vsphere_server: "vcenter.example.com", allow_unverified_ssl: true },
    ]);
    expect(allKeys(tree).filter((key) => /^(user|password)$|secret|passw|credential/i.test(key))).toEqual([]);
    expect(JSON.stringify(tree)).not.toContain("vsphere-creds");
  });

  it("customizes the guest only for static addresses", () => {
    const model = exampleVsphereModel({
      machines: [
        {
          name: "static.one",
          spec: {
            network: {
              devices: [
                {
                  networkName: "pg-a",
                  ipAddrs: ["192.168.1.10/24"],
                  gateway4: "192.168.1.1",
                  nameservers: ["1.1.1.1"],
                },
                { networkName: "pg-b", dhcp4: true },
              ],
            },
          },
        },
        { name: "dhcp" },
      ],
    });
    const vms = parse(synthesizeStack(model).json).resource.vsphere_virtual_machine ?? {};
    const customizeOf = (id: string) => (vms[id]?.clone as Block | undefined)?.customize;
    expect(customizeOf("machine_static_one")).toEqual({
      linux_options: { host_name: "static-one", domain: "local" },
      network_interface: [{ ipv4_address: "192.168.1.10", ipv4_netmask: 24 }, {}],
      ipv4_gateway: "192.168.1.1",
      dns_server_list: ["1.1.1.1"],
    });
    expect(vms.machine_dhcp).toBeDefined();
    expect(customizeOf("machine_dhcp")).toBeUndefined();
  });

  it("declares uuid, default_ip and moid per machine and the cluster's datacenter and endpoint", () => {
    const { output } = parse(synthesizeStack(smallModel()).json);
    expect(output.machines?.value["demo-worker-0"]).toEqual({
      uuid: "${vsphere_virtual_machine.machine_demo-worker-0.uuid}",
      default_ip: "${vsphere_virtual_machine.machine_demo-worker-0.default_ip_address}",
      moid: "${vsphere_virtual_machine.machine_demo-worker-0.moid}",
    });
    expect(output.cluster?.value).toEqual({
      datacenter_id: expect.stringMatching(/^\$\{data\.vsphere_datacenter\.dc_dc1_[0-9a-f]{8}\.id\}$/),
      api_endpoint: "${vsphere_virtual_machine.machine_demo-controlplane-0.default_ip_address}:6443",
    });
  });

  it("keeps hostile strings in names, folders and the server literal", () => {
    const model = exampleVsphereModel({
      spec: { server: "${var.x}", datacenter: "%{dc}" },
      machines: [{ name: "a", spec: { template: "${TfToken[TOKEN.3]}", folder: "%{ if 1 }f%{ endif }" } }],
    });
    const tree = parse(synthesizeStack(model).json);
    expect(tree.provider.vsphere[0]?.vsphere_server).toBe("$${var.x}");
    expect(tree.resource.vsphere_virtual_machine?.machine_a?.folder).toBe("%%{ if 1 }f%%{ endif }");
    const own = /^\$\{(data\.)?vsphere_[a-z_]+\.[a-z0-9_-]+|^\$\{element\(data\.vsphere_virtual_machine\./;
    expect(
      allStrings(tree)
        .flatMap(templateSequences)
        .filter((sequence) => !own.test(sequence)),
    ).toEqual([]);
  });

  it("requires a datacenter and a datastore, naming the field", () => {
    const model = exampleVsphereModel({
      spec: { datacenter: undefined },
      machines: [{ name: "a", spec: { datastore: undefined } }],
    });
    expect(() => synthesizeStack(model)).toThrow(
      /Machine default\/a: spec.providerSpec.value.datacenter: required here or in the Cluster's providerSpec; Machine default\/a: spec.providerSpec.value.datastore: required/,
    );
  });
});
