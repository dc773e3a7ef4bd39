// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform template syntax in plain strings is what these values are about.
import { describe, expect, it } from "vitest";
import type { AWSControlPlaneEndpoint } from "../src/api/provider-aws.js";
import type { AwsClusterModel } from "../src/model/types.js";
import { elbName, loadBalancerSubnets } from "./aws/api-load-balancer.js";
import { exampleAwsModel } from "./example-models.js";
import {
  bootstrapVariableName,
  bootstrapVariables,
  CONTROL_PLANE_ENDPOINT_PLACEHOLDER,
  HOSTILE_STRINGS,
  synthesizeStack,
} from "./index.js";
import { allStrings, templateSequences } from "./json-walk.test-helpers.js";

type Block = Record<string, unknown>;
type Tree = {
  variable?: Record<string, Block>;
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  provider: { aws: Block[] };
  output: Record<string, { value: unknown; sensitive?: boolean }>;
};
const parse = (json: string) => JSON.parse(json) as Tree;

/** Two control planes and a worker, all bootstrapped, cp-0 initialising. */
function bootstrapped(endpoint?: AWSControlPlaneEndpoint, tags?: Record<string, string>): AwsClusterModel {
  const model = exampleAwsModel({
    spec: {
      ...(endpoint ? { controlPlaneEndpoint: endpoint } : {}),
      ...(tags ? { additionalTags: tags } : {}),
    },
    machines: [
      { name: "cp-0", role: "control-plane" },
      { name: "cp-1", role: "control-plane" },
      { name: "w.1" },
    ],
  });
  return { ...model, bootstrap: { machines: ["cp-0", "cp-1", "w.1"], initMachine: "cp-0" } };
}

const instances = (tree: Tree) => tree.resource.aws_instance ?? {};

describe("bootstrap data through the AWS stack", () => {
  it("declares one sensitive string variable without default per bootstrapped Machine, and nothing without bootstrap", () => {
    const model = bootstrapped();
    const partial = { ...model, bootstrap: { machines: ["cp-0", "w.1"], initMachine: "cp-0" } };
    const tree = parse(synthesizeStack(partial).json);
    expect(Object.keys(tree.variable ?? {})).toEqual([
      "bootstrap_data_machine_cp-0",
      "bootstrap_data_machine_w_1",
    ]);
    for (const variable of Object.values(tree.variable ?? {})) {
      expect(variable).toMatchObject({ type: "string", sensitive: true, nullable: false });
      expect(variable).not.toHaveProperty("default");
    }
    // cp-1 is not bootstrapped: a bare instance, as before.
    expect(instances(tree)["machine_cp-1"]).not.toHaveProperty("user_data_base64");
    expect(instances(tree)["machine_cp-1"]).not.toHaveProperty("lifecycle");

    const bare = parse(synthesizeStack({ ...model, bootstrap: undefined }).json);
    expect(bare.variable).toBeUndefined();
    expect(JSON.stringify(bare)).not.toContain("user_data");
    expect(bare.resource.aws_lb).toBeUndefined();
    expect(bare.output.control_plane_endpoint).toBeUndefined();
  });

  it("names variables so the runner's TF_VAR_ values match them, and never holds a value", () => {
    expect(bootstrapVariableName("w.1")).toBe("bootstrap_data_machine_w_1");
    const values = bootstrapVariables({ "cp-0": "#cloud-config canary-a", "w.1": "#cloud-config canary-b" });
    expect(values).toEqual({
      "bootstrap_data_machine_cp-0": "#cloud-config canary-a",
      bootstrap_data_machine_w_1: "#cloud-config canary-b",
    });
    const json = synthesizeStack(bootstrapped()).json;
    for (const name of Object.keys(values)) expect(Object.keys(parse(json).variable ?? {})).toContain(name);
    expect(json).not.toContain("canary");
  });

  it("sets gzipped user data from the variable with the placeholder replaced, ignored after creation", () => {
    const tree = parse(synthesizeStack(bootstrapped()).json);
    const worker = instances(tree).machine_w_1 as Block;
    expect(worker.user_data_base64).toBe(
      `\${base64gzip(replace(var.bootstrap_data_machine_w_1, "${CONTROL_PLANE_ENDPOINT_PLACEHOLDER}", aws_lb.control_plane.dns_name))}`,
    );
    expect(worker.user_data_replace_on_change).toBe(false);
    const lifecycle = worker.lifecycle as { ignore_changes: string[]; precondition: Block[] };
    expect(lifecycle.ignore_changes).toEqual(["user_data", "user_data_base64"]);
    expect(lifecycle.precondition).toEqual([
      {
        condition: expect.stringContaining("<= 21848"),
        error_message:
          "Machine default/w.1: the bootstrap data is over AWS's 16384-byte user data limit after gzip",
      },
    ]);
  });

  it("fronts the control plane with a network load balancer on TCP 6443 by default, one attachment per control-plane Machine", () => {
    const tree = parse(synthesizeStack(bootstrapped(), { awsEndpoint: "http://127.0.0.1:1" }).json);
    const lb = tree.resource.aws_lb?.control_plane as Block;
    expect(lb).toMatchObject({
      load_balancer_type: "network",
      internal: false,
      subnets: ["${aws_subnet.subnet_10_0_0_0_24.id}"],
    });
    expect(tree.resource.aws_lb_target_group?.control_plane).toMatchObject({
      port: 6443,
      protocol: "TCP",
      target_type: "instance",
      vpc_id: "${aws_vpc.cluster.id}",
    });
    expect(tree.resource.aws_lb_listener?.control_plane).toMatchObject({
      load_balancer_arn: "${aws_lb.control_plane.arn}",
      port: 6443,
      protocol: "TCP",
      default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.control_plane.arn}" }],
    });
    const attachments = tree.resource.aws_lb_target_group_attachment ?? {};
    expect(Object.keys(attachments)).toEqual(["machine_cp-0", "machine_cp-1"]);
    expect(attachments["machine_cp-1"]).toMatchObject({
      target_id: "${aws_instance.machine_cp-1.id}",
      port: 6443,
    });
    expect(tree.output.control_plane_endpoint).toEqual({ value: "${aws_lb.control_plane.dns_name}" });
    expect((tree.output.cluster?.value as Block | undefined)?.api_endpoint).toBe(
      "${aws_lb.control_plane.dns_name}:6443",
    );
    // The emulator serves elbv2 too; only a stack with the load balancer points it there.
    expect((tree.provider.aws[0]?.endpoints as Block[] | undefined)?.[0]).toHaveProperty(
      "elbv2",
      "http://127.0.0.1:1",
    );
    const bare = parse(synthesizeStack(exampleAwsModel(), { awsEndpoint: "http://127.0.0.1:1" }).json);
    expect((bare.provider.aws[0]?.endpoints as Block[] | undefined)?.[0]).not.toHaveProperty("elbv2");
  });

  it("in mode InitMachine gives the init machine its subnet's last usable address as the endpoint, without a load balancer", () => {
    const tree = parse(synthesizeStack(bootstrapped({ type: "InitMachine" })).json);
    expect(tree.resource.aws_lb).toBeUndefined();
    const fixed = "cidrhost(aws_subnet.subnet_10_0_0_0_24.cidr_block, -2)";
    const init = instances(tree)["machine_cp-0"] as Block;
    expect(init.private_ip).toBe(`\${${fixed}}`);
    expect(init.user_data_base64).toContain(`"${CONTROL_PLANE_ENDPOINT_PLACEHOLDER}", ${fixed})`);
    // The others name the instance, so they are created after it and never race for its address.
    expect(instances(tree)["machine_cp-1"]?.user_data_base64).toContain(
      "aws_instance.machine_cp-0.private_ip)",
    );
    expect(instances(tree)["machine_cp-1"]).not.toHaveProperty("private_ip");
    expect(tree.output.control_plane_endpoint).toEqual({ value: "${aws_instance.machine_cp-0.private_ip}" });
    expect(init.lifecycle).toMatchObject({ ignore_changes: ["user_data", "user_data_base64"] });
  });

  it("ignores the init machine's security groups only against the emulator, which misreports them with a fixed address", () => {
    const tree = parse(
      synthesizeStack(bootstrapped({ type: "InitMachine" }), { awsEndpoint: "http://127.0.0.1:1" }).json,
    );
    expect(instances(tree)["machine_cp-0"]?.lifecycle).toMatchObject({
      ignore_changes: ["user_data", "user_data_base64", "vpc_security_group_ids"],
    });
    expect(instances(tree)["machine_cp-1"]?.lifecycle).toMatchObject({
      ignore_changes: ["user_data", "user_data_base64"],
    });
  });

  it("reads the CIDR of an existing subnet to fix the init machine's address", () => {
    const model = bootstrapped({ type: "InitMachine" });
    model.spec.networkSpec = { vpc: { id: "vpc-1" }, subnets: [{ id: "subnet-1", isPublic: true }] };
    const tree = parse(synthesizeStack(model).json);
    expect(tree.data?.aws_subnet?.["machine_cp-0_endpoint"]).toMatchObject({ id: "subnet-1" });
    expect(instances(tree)["machine_cp-0"]?.private_ip).toBe(
      "${cidrhost(data.aws_subnet.machine_cp-0_endpoint.cidr_block, -2)}",
    );
  });

  it("refuses a bootstrap section that names unknown Machines or a worker as init machine", () => {
    const model = bootstrapped();
    const wrong = { ...model, bootstrap: { machines: ["w.1", "ghost"], initMachine: "w.1" } };
    expect(() => synthesizeStack(wrong)).toThrow(
      /Cluster default\/demo: bootstrap.machines: "ghost" is not a Machine of this cluster; Cluster default\/demo: bootstrap.initMachine: "w.1" must be a control-plane Machine/,
    );
    const unlisted = { ...model, bootstrap: { machines: ["w.1"], initMachine: "cp-0" } };
    expect(() => synthesizeStack(unlisted)).toThrow(
      /bootstrap.initMachine: "cp-0" must be listed in bootstrap.machines/,
    );
  });

  it("synthesizes a cluster whose recorded init machine left, unless its address was the API endpoint", () => {
    const withoutInit = (model: AwsClusterModel): AwsClusterModel => ({
      ...model,
      machines: model.machines.filter((machine) => machine.name !== "cp-0"),
      bootstrap: { machines: ["cp-1", "w.1"], initMachine: "cp-0" },
    });
    const tree = parse(synthesizeStack(withoutInit(bootstrapped())).json);
    expect(Object.keys(instances(tree)).sort()).toEqual(["machine_cp-1", "machine_w_1"]);
    expect(() => synthesizeStack(withoutInit(bootstrapped({ type: "InitMachine" })))).toThrow(
      /bootstrap.initMachine: Machine "cp-0" \(the init machine\) is gone, but the cluster's API endpoint is its address/,
    );
  });

  it("leaves Terraform nothing to evaluate but its own references when user strings are hostile", () => {
    const tags = Object.fromEntries(HOSTILE_STRINGS.map((value, index) => [`k${index}`, value]));
    for (const type of ["LoadBalancer", "InitMachine"] as const) {
      const tree = parse(synthesizeStack(bootstrapped({ type }, tags)).json);
      const own =
        /^\$\{(aws_[a-z_]+\.|data\.aws_[a-z_]+\.|coalesce\(aws_instance\.|base64gzip\(replace\(var\.bootstrap_data_machine_|\(length\(base64gzip\(replace\(var\.bootstrap_data_machine_|cidrhost\(aws_subnet\.)/;
      const sequences = allStrings(tree).flatMap(templateSequences);
      expect(sequences.filter((sequence) => !own.test(sequence))).toEqual([]);
      expect(sequences.length).toBeGreaterThan(10);
    }
  });

  it("keeps load balancer names within AWS's 32 characters and apart for different clusters", () => {
    const long = "a".repeat(60);
    const one = elbName({ namespace: "team-a", name: long }, "api");
    const other = elbName({ namespace: "team-b", name: long }, "api");
    expect(one.length).toBeLessThanOrEqual(32);
    expect(one).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    expect(one).not.toBe(other);
    expect(elbName({ namespace: "default", name: "demo" }, "api")).toMatch(/^cf-demo-[0-9a-f]{6}-api$/);
  });

  it("puts the load balancer in public subnets when there are any, one per zone", () => {
    const subnets = [
      { id: "a1", availabilityZone: "us-east-1a", isPublic: true },
      { id: "a2", availabilityZone: "us-east-1a", isPublic: true },
      { id: "b1", availabilityZone: "us-east-1b", isPublic: false },
      { id: "b2", availabilityZone: "us-east-1b", isPublic: true },
    ];
    expect(loadBalancerSubnets(subnets).map((subnet) => subnet.id)).toEqual(["a1", "b2"]);
    const privateOnly = subnets.map((subnet) => ({ ...subnet, isPublic: false }));
    expect(loadBalancerSubnets(privateOnly).map((subnet) => subnet.id)).toEqual(["a1", "b1"]);
  });
});
