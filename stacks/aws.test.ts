// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform template syntax in plain strings is what these values are about.
import { describe, expect, it } from "vitest";
import { InvalidConfigurationError } from "../src/errors.js";
import { cloudUserName } from "./aws/cloud-credentials.js";
import { exampleAwsModel } from "./example-models.js";
import { HOSTILE_STRINGS, machineResourceAddress, synthesizeStack } from "./index.js";
import { allKeys, allStrings, templateSequences, unescapeTemplate } from "./json-walk.test-helpers.js";

type Tree = {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  provider: { aws: Record<string, unknown>[] };
  output: Record<string, { value: Record<string, unknown> }>;
  terraform: Record<string, unknown>;
};
// Provider arguments that carry credentials, and anything named like a secret.
const CREDENTIAL_KEY =
  /^(access_key|secret_key|token|user|password|profile|shared_credentials_files|shared_config_files|assume_role.*)$|secret|passw/i;
const parse = (json: string) => JSON.parse(json) as Tree;

const smallModel = () =>
  exampleAwsModel({
    machines: [
      { name: "demo-controlplane-0", role: "control-plane", spec: { publicIP: true } },
      { name: "demo-worker-0" },
    ],
  });

describe("AWS stack synthesis", () => {
  it("matches the reviewed snapshot of a small cluster", async () => {
    const stack = synthesizeStack(smallModel());
    await expect(stack.json).toMatchFileSnapshot("./__snapshots__/aws-small.tf.json.snap");
    expect(stack.summary).toBe(
      "aws: 1 vpc, 1 subnet, 1 internet gateway, 1 route table, 1 route, 1 route table association, 2 security groups, 2 instances",
    );
  });

  it("gives byte-equal JSON for the same model, whatever the machine order", () => {
    const model = smallModel();
    const reversed = { ...model, machines: [...model.machines].reverse() };
    const first = synthesizeStack(model).json;
    expect(synthesizeStack(model).json).toBe(first);
    expect(synthesizeStack(reversed).json).toBe(first);
    expect(first).not.toMatch(/\/(work|tmp|home|root)\//);
  });

  it("keeps every other machine's resources unchanged when one machine is added or removed", () => {
    const names = ["a", "b.c", "0d"];
    const synth = (list: string[]) =>
      parse(synthesizeStack(exampleAwsModel({ machines: list.map((name) => ({ name })) })).json);
    const all = synth(names);
    const without = synth(["a", "0d"]);
    const withMore = synth([...names, "e"]);
    for (const name of ["a", "0d"]) {
      const id = machineResourceAddress(exampleAwsModel({ machines: [{ name }] }), name).split(
        ".",
      )[1] as string;
      expect(without.resource.aws_instance?.[id]).toEqual(all.resource.aws_instance?.[id]);
      expect(withMore.resource.aws_instance?.[id]).toEqual(all.resource.aws_instance?.[id]);
    }
    expect(Object.keys(all.resource.aws_instance ?? {}).sort()).toEqual([
      "machine_0d",
      "machine_a",
      "machine_b_c",
    ]);
    expect(Object.keys(without.resource.aws_instance ?? {}).sort()).toEqual(["machine_0d", "machine_a"]);
  });

  it("names the machine's resource address by provider and Machine name only", () => {
    const model = exampleAwsModel({ machines: [{ name: "1.x-y" }] });
    expect(machineResourceAddress(model, "1.x-y")).toBe("aws_instance.machine_1_x-y");
    expect(synthesizeStack(model).resources).toContainEqual({
      address: "aws_instance.machine_1_x-y",
      type: "aws_instance",
    });
    expect(() => machineResourceAddress(model, "other")).toThrow(
      /Machine default\/other is not part of Cluster default\/demo/,
    );
  });

  it("references an existing VPC and subnets without creating or owning them", () => {
    const model = exampleAwsModel({
      spec: {
        networkSpec: {
          vpc: { id: "vpc-0abc" },
          subnets: [{ id: "subnet-0abc", availabilityZone: "us-east-1a" }],
        },
      },
      machines: [{ name: "cp", role: "control-plane" }],
    });
    const stack = synthesizeStack(model);
    const tree = parse(stack.json);
    expect(Object.keys(tree.resource).sort()).toEqual(["aws_instance", "aws_security_group"]);
    expect(tree.data?.aws_vpc?.cluster).toMatchObject({ id: "vpc-0abc" });
    expect(tree.resource.aws_instance?.machine_cp?.subnet_id).toBe("subnet-0abc");
    expect(tree.resource.aws_security_group?.node?.vpc_id).toBe("${data.aws_vpc.cluster.id}");
    expect(tree.output.cluster?.value).toMatchObject({
      vpc_id: "${data.aws_vpc.cluster.id}",
      subnet_ids: ["subnet-0abc"],
    });
    expect(stack.summary).toBe("aws: 2 security groups, 1 instance (+1 data source)");
  });

  it("adds endpoint overrides and skip flags only when an endpoint is given", () => {
    const plain = parse(synthesizeStack(smallModel()).json).provider.aws;
    expect(plain).toEqual([{ region: "us-east-1" }]);
    const sandbox = parse(synthesizeStack(smallModel(), { awsEndpoint: "http://127.0.0.1:4566" }).json)
      .provider.aws;
    expect(sandbox).toEqual([
      {
        region: "us-east-1",
        endpoints: [
          { ec2: "http://127.0.0.1:4566", iam: "http://127.0.0.1:4566", sts: "http://127.0.0.1:4566" },
        ],
        skip_credentials_validation: true,
        skip_metadata_api_check: "true",
        skip_region_validation: true,
        skip_requesting_account_id: true,
      },
    ]);
  });

  it("writes no credential-looking key and a relative local backend", () => {
    const tree = parse(synthesizeStack(smallModel(), { awsEndpoint: "http://127.0.0.1:1" }).json);
    const suspicious = allKeys(tree).filter((key) => CREDENTIAL_KEY.test(key));
    expect(suspicious).toEqual([]);
    expect(tree.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
  });

  it("creates no IAM user or access key unless cloudCredentials.createAccessKey asks for one", () => {
    const tree = parse(synthesizeStack(smallModel()).json);
    expect(tree.resource.aws_iam_user).toBeUndefined();
    expect(tree.resource.aws_iam_access_key).toBeUndefined();
    expect(Object.keys(tree.output).sort()).toEqual(["cluster", "machines"]);
  });

  it("with cloudCredentials.createAccessKey: an IAM user, its access key, and the secret as the only sensitive output", () => {
    const model = exampleAwsModel({
      spec: { cloudCredentials: { createAccessKey: true } },
      machines: [{ name: "w" }],
    });
    const stack = synthesizeStack(model);
    const tree = parse(stack.json);
    expect(tree.resource.aws_iam_user?.cloud_credentials).toMatchObject({
      name: "default-demo-cloud",
      path: "/clusterform/",
      tags: { "clusterform.io/cluster": "default/demo", Name: "default-demo-cloud" },
    });
    expect(tree.resource.aws_iam_access_key?.cloud_credentials).toMatchObject({
      user: "${aws_iam_user.cloud_credentials.name}",
    });
    const outputs = tree.output as Record<string, { value: unknown; sensitive?: boolean }>;
    expect(outputs.cloud_access_key_id).toEqual({ value: "${aws_iam_access_key.cloud_credentials.id}" });
    expect(outputs.cloud_secret_access_key).toEqual({
      value: "${aws_iam_access_key.cloud_credentials.secret}",
      sensitive: true,
    });
    expect(Object.keys(outputs).filter((name) => outputs[name]?.sensitive)).toEqual([
      "cloud_secret_access_key",
    ]);
    expect(stack.summary).toContain("1 iam user, 1 iam access key");
  });

  it("keeps IAM user names within 64 characters and distinct for long namespace and cluster names", () => {
    const long = "n".repeat(40);
    const first = cloudUserName(long, `${"c".repeat(40)}a`);
    const second = cloudUserName(long, `${"c".repeat(40)}b`);
    expect(first.length).toBe(64);
    expect(first).not.toBe(second);
    expect(cloudUserName("default", "demo")).toBe("default-demo-cloud");
  });

  it("tags every instance with its cluster, machine and role; clusterform's tags win over user tags", () => {
    const model = exampleAwsModel({
      spec: { additionalTags: { team: "infra", Name: "from-cluster" } },
      machines: [{ name: "w", spec: { additionalTags: { team: "web", "clusterform.io/role": "fake" } } }],
    });
    const tags = parse(synthesizeStack(model).json).resource.aws_instance?.machine_w?.tags;
    expect(tags).toEqual({
      Name: "w",
      team: "web",
      "kubernetes.io/cluster/demo": "owned",
      "clusterform.io/cluster": "default/demo",
      "clusterform.io/machine": "default/w",
      "clusterform.io/role": "node",
    });
  });

  it("places machines by subnet id, by availability zone, else in the first public subnet", () => {
    const model = exampleAwsModel({
      spec: {
        networkSpec: {
          subnets: [
            { cidrBlock: "10.0.1.0/24", availabilityZone: "us-east-1a" },
            { cidrBlock: "10.0.2.0/24", availabilityZone: "us-east-1b", isPublic: true },
            { cidrBlock: "10.0.3.0/24", availabilityZone: "us-east-1a", isPublic: true },
          ],
        },
      },
      machines: [
        { name: "by-id", spec: { subnet: { id: "subnet-given" } } },
        { name: "by-zone", spec: { availabilityZone: "us-east-1a" } },
        { name: "default" },
      ],
    });
    const tree = parse(synthesizeStack(model).json);
    const subnetOf = (id: string) => tree.resource.aws_instance?.[id]?.subnet_id;
    expect(subnetOf("machine_by-id")).toBe("subnet-given");
    expect(subnetOf("machine_by-zone")).toBe("${aws_subnet.subnet_10_0_3_0_24.id}");
    expect(subnetOf("machine_default")).toBe("${aws_subnet.subnet_10_0_2_0_24.id}");
    expect(Object.keys(tree.resource.aws_route_table_association ?? {}).sort()).toEqual([
      "subnet_10_0_2_0_24",
      "subnet_10_0_3_0_24",
    ]);
  });

  it("declares per-machine and cluster outputs, api_endpoint from the first control-plane machine", () => {
    const model = exampleAwsModel({
      machines: [
        { name: "w" },
        { name: "cp-b", role: "control-plane" },
        { name: "cp-a", role: "control-plane" },
      ],
    });
    const { output } = parse(synthesizeStack(model).json);
    expect(Object.keys(output.machines?.value ?? {})).toEqual(["cp-a", "cp-b", "w"]);
    expect(output.machines?.value.w).toEqual({
      instance_id: "${aws_instance.machine_w.id}",
      private_ip: "${aws_instance.machine_w.private_ip}",
      public_ip: "${aws_instance.machine_w.public_ip}",
      private_dns: "${aws_instance.machine_w.private_dns}",
      state: "${aws_instance.machine_w.instance_state}",
      availability_zone: "${aws_instance.machine_w.availability_zone}",
    });
    expect(output.cluster?.value.api_endpoint).toBe(
      "${coalesce(aws_instance.machine_cp-a.public_ip, aws_instance.machine_cp-a.private_ip)}:6443",
    );
    const noControlPlane = parse(synthesizeStack(exampleAwsModel({ machines: [{ name: "w" }] })).json);
    expect(noControlPlane.output.cluster?.value.api_endpoint).toBe("");
    expect(JSON.stringify(output)).not.toMatch(/sensitive/);
  });

  it("lists every problem of a model it cannot synthesize, naming object and field", () => {
    const model = exampleAwsModel({
      spec: { networkSpec: { vpc: { cidrBlock: "10.0.0.0/33" } } },
      machines: [{ name: "w", spec: { availabilityZone: "eu-west-1c", ami: {} } }],
    });
    let error: unknown;
    try {
      synthesizeStack(model);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect((error as InvalidConfigurationError).errors).toEqual([
      'Cluster default/demo: spec.providerSpec.value.networkSpec.vpc.cidrBlock: "10.0.0.0/33" is not an IPv4 CIDR such as 10.0.0.0/16',
      "Machine default/w: spec.providerSpec.value.ami: set exactly one of id or filters",
      `Machine default/w: spec.providerSpec.value.subnet: no subnet of the cluster is in availability zone "eu-west-1c"; add one to the Cluster's networkSpec.subnets or name subnet.id`,
    ]);
  });

  it("refuses names that would break address injectivity and subnets an existing VPC lacks", () => {
    const badName = exampleAwsModel({ machines: [{ name: "Bad_Name" }, { name: "ok" }, { name: "ok" }] });
    expect(() => synthesizeStack(badName)).toThrow(
      /Machine default\/Bad_Name: metadata.name: not a valid Kubernetes name/,
    );
    expect(() => synthesizeStack(badName)).toThrow(
      /Machine default\/ok: metadata.name: two Machines of the cluster share this name/,
    );
    const existing = exampleAwsModel({
      spec: { networkSpec: { vpc: { id: "vpc-1" }, subnets: [{ cidrBlock: "10.0.0.0/24" }] } },
    });
    expect(() => synthesizeStack(existing)).toThrow(
      /networkSpec.subnets\[0\].id: required when networkSpec.vpc.id names an existing VPC/,
    );
  });
});

describe("AWS stack injection safety", () => {
  const hostileModel = () => {
    const tags = Object.fromEntries(HOSTILE_STRINGS.map((value, index) => [`key${index}:${value}`, value]));
    return exampleAwsModel({
      spec: { region: "us-east-1${x}", sshKeyName: "%{key}", additionalTags: tags },
      machines: [
        {
          name: "w",
          spec: {
            ami: { filters: [{ name: "name${n}", values: [...HOSTILE_STRINGS] }] },
            instanceType: "${TfToken[TOKEN.0]}",
            iamInstanceProfile: "${aws_iam_role.admin.arn}",
            additionalTags: { "${machine}": "%{ for x in y }${x}%{ endfor }" },
          },
        },
        { name: "v", spec: { ami: { id: "${TfToken[TOKEN.1]}" }, keyName: "#{TfToken[TOKEN.2]}" } },
      ],
    });
  };

  it("synthesizes every hostile string to its escaped literal, in keys and values", () => {
    const tree = parse(synthesizeStack(hostileModel()).json);
    const tags = tree.resource.aws_instance?.machine_w?.tags as Record<string, string>;
    HOSTILE_STRINGS.forEach((value, index) => {
      const escapedKey = Object.keys(tags).find((key) => key.startsWith(`key${index}:`)) as string;
      expect(unescapeTemplate(escapedKey)).toBe(`key${index}:${value}`);
      expect(unescapeTemplate(tags[escapedKey] as string)).toBe(value);
    });
    expect(tags["$${machine}"]).toBe("%%{ for x in y }$${x}%%{ endfor }");
    expect(tree.resource.aws_instance?.machine_w?.instance_type).toBe("$${TfToken[TOKEN.0]}");
    expect(tree.resource.aws_instance?.machine_w?.iam_instance_profile).toBe("$${aws_iam_role.admin.arn}");
    expect(tree.resource.aws_instance?.machine_v?.ami).toBe("$${TfToken[TOKEN.1]}");
    expect(tree.resource.aws_instance?.machine_v?.key_name).toBe("#{TfToken[TOKEN.2]}");
    expect(tree.resource.aws_instance?.machine_w?.key_name).toBe("%%{key}");
    expect(tree.provider.aws).toEqual([{ region: "us-east-1$${x}" }]);
    expect(tree.data?.aws_ami?.machine_w?.filter).toEqual([
      { name: "name$${n}", values: HOSTILE_STRINGS.map((value) => value.replace(/([$%])\{/g, "$1$1{")) },
    ]);
  });

  it("leaves Terraform nothing to evaluate but clusterform's own references", () => {
    const tree = parse(synthesizeStack(hostileModel()).json);
    const ownReference = /^\$\{(aws_[a-z_]+|data\.aws_[a-z_]+|coalesce\(aws_instance)\.[a-z0-9_-]+/;
    const sequences = allStrings(tree).flatMap(templateSequences);
    expect(sequences.length).toBeGreaterThan(10);
    expect(sequences.filter((sequence) => !ownReference.test(sequence))).toEqual([]);
  });
});
