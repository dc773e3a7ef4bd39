// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform template syntax in plain strings is what these values are about.
import { describe, expect, it } from "vitest";
import type { VsphereClusterProviderSpec, VsphereMachineProviderSpec } from "../src/api/provider-vsphere.js";
import type { VsphereClusterModel } from "../src/model/types.js";
import { exampleVsphereModel } from "./example-models.js";
import { CONTROL_PLANE_ENDPOINT_PLACEHOLDER, HOSTILE_STRINGS, synthesizeStack } from "./index.js";
import { allStrings, templateSequences, unescapeTemplate } from "./json-walk.test-helpers.js";

type Block = Record<string, unknown>;
type Tree = {
  variable?: Record<string, Block>;
  locals?: Record<string, string>;
  resource: Record<string, Record<string, Block>>;
  output: Record<string, { value: unknown }>;
};
const parse = (json: string) => JSON.parse(json) as Tree;

function bootstrapped(
  spec: Partial<VsphereClusterProviderSpec> = {},
  initSpec: Partial<VsphereMachineProviderSpec> = {},
): VsphereClusterModel {
  const model = exampleVsphereModel({
    spec,
    machines: [{ name: "cp-0", role: "control-plane", spec: initSpec }, { name: "w.1" }],
  });
  return { ...model, bootstrap: { machines: ["cp-0", "w.1"], initMachine: "cp-0" } };
}

const vms = (tree: Tree) => tree.resource.vsphere_virtual_machine ?? {};
const extraConfig = (tree: Tree, id: string) => vms(tree)[id]?.extra_config as Record<string, string>;
const userDataOf = (endpoint: string, variable: string) =>
  `\${base64gzip(replace(var.${variable}, "${CONTROL_PLANE_ENDPOINT_PLACEHOLDER}", ${endpoint}))}`;

describe("bootstrap data through the vSphere stack", () => {
  it("delivers gzipped user data and metadata through guestinfo, cleared by cloud-init and ignored after creation", () => {
    const stack = synthesizeStack(bootstrapped({ controlPlaneEndpoint: { host: "10.0.0.100" } }));
    const tree = parse(stack.json);
    expect(Object.keys(tree.variable ?? {})).toEqual([
      "bootstrap_data_machine_cp-0",
      "bootstrap_data_machine_w_1",
    ]);
    expect(tree.variable?.bootstrap_data_machine_w_1).toMatchObject({ sensitive: true, type: "string" });
    const config = extraConfig(tree, "machine_w_1");
    expect(Object.keys(config).sort()).toEqual([
      "guestinfo.metadata",
      "guestinfo.metadata.encoding",
      "guestinfo.userdata",
      "guestinfo.userdata.encoding",
    ]);
    expect(config["guestinfo.userdata"]).toBe(
      userDataOf("local.control_plane_endpoint", "bootstrap_data_machine_w_1"),
    );
    expect(config["guestinfo.userdata.encoding"]).toBe("gzip+base64");
    expect(config["guestinfo.metadata.encoding"]).toBe("base64");
    const metadata = JSON.parse(Buffer.from(config["guestinfo.metadata"] ?? "", "base64").toString());
    expect(metadata).toEqual({
      "instance-id": "w.1",
      "local-hostname": "w-1",
      redact: ["userdata"],
      "cleanup-guestinfo": ["userdata"],
    });
    expect(vms(tree).machine_w_1?.lifecycle).toEqual({ ignore_changes: ["extra_config"] });
    expect(tree.locals).toEqual({ control_plane_endpoint: "10.0.0.100" });
    expect(tree.output.control_plane_endpoint).toEqual({ value: "${local.control_plane_endpoint}" });
    expect((tree.output.cluster?.value as Block | undefined)?.api_endpoint).toBe(
      "${local.control_plane_endpoint}:6443",
    );
    expect(stack.warnings).toEqual([]);
  });

  it("uses the init machine's static address when no endpoint is set", () => {
    const stack = synthesizeStack(
      bootstrapped(
        {},
        { network: { devices: [{ networkName: "VM Network", ipAddrs: ["192.168.1.10/24"] }] } },
      ),
    );
    const tree = parse(stack.json);
    expect(extraConfig(tree, "machine_cp-0")["guestinfo.userdata"]).toBe(
      userDataOf("local.control_plane_endpoint", "bootstrap_data_machine_cp-0"),
    );
    expect(extraConfig(tree, "machine_w_1")["guestinfo.userdata"]).toBe(
      userDataOf("local.control_plane_endpoint", "bootstrap_data_machine_w_1"),
    );
    expect(tree.locals).toEqual({ control_plane_endpoint: "192.168.1.10" });
    expect(stack.warnings).toEqual([]);
  });

  it("falls back to the init machine's DHCP address with a warning; the init machine names itself by host name", () => {
    const stack = synthesizeStack(bootstrapped());
    const tree = parse(stack.json);
    expect(extraConfig(tree, "machine_w_1")["guestinfo.userdata"]).toBe(
      userDataOf("vsphere_virtual_machine.machine_cp-0.default_ip_address", "bootstrap_data_machine_w_1"),
    );
    expect(extraConfig(tree, "machine_cp-0")["guestinfo.userdata"]).toBe(
      userDataOf("local.init_machine_host_name", "bootstrap_data_machine_cp-0"),
    );
    expect(tree.locals).toEqual({ init_machine_host_name: "cp-0" });
    expect(stack.warnings).toEqual([
      expect.stringMatching(
        /^Cluster default\/demo: the API endpoint is the init machine cp-0's DHCP address .*controlPlaneEndpoint\.host/,
      ),
    ]);
  });

  it("changes nothing without a bootstrap section", () => {
    const model = bootstrapped({ controlPlaneEndpoint: { host: "10.0.0.100" } });
    const tree = parse(synthesizeStack({ ...model, bootstrap: undefined }).json);
    expect(tree.variable).toBeUndefined();
    expect(vms(tree).machine_w_1).not.toHaveProperty("extra_config");
    expect(tree.output.control_plane_endpoint).toBeUndefined();
  });

  it("keeps a hostile endpoint host a literal: a locals value, never part of an expression", () => {
    for (const host of HOSTILE_STRINGS.concat(['a"b${file("/x")}c\\d'])) {
      const tree = parse(synthesizeStack(bootstrapped({ controlPlaneEndpoint: { host } })).json);
      expect(unescapeTemplate(tree.locals?.control_plane_endpoint as string)).toBe(host);
      expect(extraConfig(tree, "machine_w_1")["guestinfo.userdata"]).toBe(
        userDataOf("local.control_plane_endpoint", "bootstrap_data_machine_w_1"),
      );
      const own =
        /^\$\{(data\.vsphere_[a-z_]+\.|vsphere_[a-z_]+\.|element\(data\.vsphere_virtual_machine\.|base64gzip\(replace\(var\.bootstrap_data_machine_|local\.control_plane_endpoint\})/;
      const sequences = allStrings(tree).flatMap(templateSequences);
      expect(sequences.filter((sequence) => !own.test(sequence))).toEqual([]);
    }
  });
});
