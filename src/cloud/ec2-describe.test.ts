import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsApiTarget } from "./aws-target.js";
import { describeInstancesTagged, describeSecurityGroups } from "./ec2-describe.js";
import { Ec2QueryError } from "./ec2-query.js";

// A local HTTP server plays EC2: it records each request and answers canned XML.

const SECRET = "wJalrXUtnFEMI-secret-never-shown";
const requests: { headers: IncomingMessage["headers"]; body: string }[] = [];
let answer: { status: number; xml: string } = { status: 200, xml: "" };
let server: Server;
let target: AwsApiTarget;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      requests.push({ headers: req.headers, body });
      res.writeHead(answer.status, { "Content-Type": "text/xml" }).end(answer.xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  target = {
    endpoint: `http://127.0.0.1:${port}`,
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: "session-tok" },
  };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const INSTANCES = `<?xml version="1.0"?><DescribeInstancesResponse><reservationSet><item><instancesSet>
<item><instanceId>i-1</instanceId><instanceState><code>16</code><name>running</name></instanceState>
<instanceType>t3.micro</instanceType><tagSet><item><key>Name</key><value>m1</value></item></tagSet></item>
</instancesSet></item></reservationSet></DescribeInstancesResponse>`;

const GROUPS = `<DescribeSecurityGroupsResponse><securityGroupInfo><item><groupId>sg-1</groupId>
<ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort>
<ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item></ipPermissions>
<ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item></ipPermissionsEgress>
</item></securityGroupInfo></DescribeSecurityGroupsResponse>`;

describe("EC2 reads for the cheap drift check", () => {
  it("signs DescribeInstances with SigV4 for ec2 in the target's region, filtered by the cluster tag", async () => {
    answer = { status: 200, xml: INSTANCES };
    const found = await describeInstancesTagged(target, { key: "clusterform.io/cluster", value: "ns/demo" });
    expect(found).toEqual([
      { instanceId: "i-1", state: "running", instanceType: "t3.micro", tags: { Name: "m1" } },
    ]);
    const request = requests.at(-1);
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/ec2\/aws4_request, SignedHeaders=\S*host\S*, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.headers["x-amz-security-token"]).toBe("session-tok");
    const body = new URLSearchParams(request?.body);
    expect(body.get("Action")).toBe("DescribeInstances");
    expect(body.get("Filter.1.Name")).toBe("tag:clusterform.io/cluster");
    expect(body.get("Filter.1.Value.1")).toBe("ns/demo");
    expect(JSON.stringify(request)).not.toContain(SECRET);
  });

  it("flattens security group rules, one per source", async () => {
    answer = { status: 200, xml: GROUPS };
    expect(await describeSecurityGroups(target, ["sg-1", "sg-2"])).toEqual([
      { groupId: "sg-1", rules: ["egress -1 all 0.0.0.0/0", "ingress tcp 22-22 0.0.0.0/0"] },
    ]);
    const body = new URLSearchParams(requests.at(-1)?.body);
    expect([body.get("Filter.1.Name"), body.get("Filter.1.Value.2")]).toEqual(["group-id", "sg-2"]);
  });

  it("fails with the action and the API's error code, never the credentials", async () => {
    answer = {
      status: 401,
      xml: "<Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors></Response>",
    };
    const failure = await describeInstancesTagged(target, { key: "k", value: "v" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Ec2QueryError);
    const message = (failure as Error).message;
    expect(message).toContain("EC2 DescribeInstances");
    expect(message).toContain("(401): AuthFailure");
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain("Signature");
  });
});
