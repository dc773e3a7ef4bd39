import { child, parseXml, textAt } from "../util/xml.js";
import { sandboxQuery } from "./query.js";

/**
 * Elastic Load Balancing v2 reads for checking what Terraform created in the
 * sandbox (Query API, version 2015-12-01). ELBv2 lists use `member` items.
 */

export interface SandboxLoadBalancer {
  arn: string;
  name: string;
  dnsName: string;
  type: string;
}

export async function describeLoadBalancers(
  endpoint: string,
  names: string[],
  region = "us-east-1",
): Promise<SandboxLoadBalancer[]> {
  const params = new URLSearchParams({ Action: "DescribeLoadBalancers", Version: "2015-12-01" });
  for (const [index, name] of names.entries()) params.set(`Names.member.${index + 1}`, name);
  const root = parseXml(await elbv2Query(endpoint, params, region)).children[0];
  return members(child(child(root, "DescribeLoadBalancersResult"), "LoadBalancers")).map((lb) => ({
    arn: textAt(lb, "LoadBalancerArn"),
    name: textAt(lb, "LoadBalancerName"),
    dnsName: textAt(lb, "DNSName"),
    type: textAt(lb, "Type"),
  }));
}

/** Target group ARNs of a load balancer. */
export async function describeTargetGroupArns(
  endpoint: string,
  loadBalancerArn: string,
  region = "us-east-1",
): Promise<string[]> {
  const params = new URLSearchParams({
    Action: "DescribeTargetGroups",
    Version: "2015-12-01",
    LoadBalancerArn: loadBalancerArn,
  });
  const root = parseXml(await elbv2Query(endpoint, params, region)).children[0];
  return members(child(child(root, "DescribeTargetGroupsResult"), "TargetGroups")).map((group) =>
    textAt(group, "TargetGroupArn"),
  );
}

/** The targets registered in a target group: `{ id, port }` each. */
export async function describeTargets(
  endpoint: string,
  targetGroupArn: string,
  region = "us-east-1",
): Promise<{ id: string; port: number }[]> {
  const params = new URLSearchParams({
    Action: "DescribeTargetHealth",
    Version: "2015-12-01",
    TargetGroupArn: targetGroupArn,
  });
  const root = parseXml(await elbv2Query(endpoint, params, region)).children[0];
  return members(child(child(root, "DescribeTargetHealthResult"), "TargetHealthDescriptions")).map(
    (description) => ({
      id: textAt(description, "Target", "Id"),
      port: Number(textAt(description, "Target", "Port")),
    }),
  );
}

function members(list: ReturnType<typeof child>) {
  return list?.children.filter((item) => item.name === "member") ?? [];
}

function elbv2Query(endpoint: string, params: URLSearchParams, region: string): Promise<string> {
  return sandboxQuery(endpoint, "elasticloadbalancing", params, region);
}
