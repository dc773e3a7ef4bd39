import { describe, expect, inject, it } from "vitest";
import { createSubnet, createVpc, liveInstances, runInstance } from "../src/sandbox/ec2.js";
import { TEST_AMI } from "./helpers/aws-manifests.js";

// The emulator every e2e test shares must launch nothing for a retried RunInstances, as AWS does: the
// AWS SDK retries with the same ClientToken, and a second instance would be one no Terraform state holds.
const endpoint = inject("awsEndpoint");

describe("the AWS emulator", () => {
  it("treats RunInstances with a ClientToken already used as the same launch, and other tokens as new ones", async () => {
    const vpcId = await createVpc(endpoint, "10.93.0.0/16");
    const subnetId = await createSubnet(endpoint, {
      vpcId,
      cidrBlock: "10.93.1.0/24",
      availabilityZone: "us-east-1a",
    });
    const launch = (clientToken: string) =>
      runInstance(endpoint, { imageId: TEST_AMI, instanceType: "t3.micro", subnetId, clientToken });
    const first = await launch("retry-token-1");
    const retried = await launch("retry-token-1");
    const other = await launch("retry-token-2");
    expect(retried.instanceId).toBe(first.instanceId);
    expect(other.instanceId).not.toBe(first.instanceId);
    const live = await liveInstances(endpoint, { "subnet-id": subnetId });
    expect(live.map((i) => i.instanceId).sort()).toEqual([first.instanceId, other.instanceId].sort());
  });
});
