import { describe, expect, it } from "vitest";
import type { AuditRecord } from "../api/audit-record.js";
import { checkRbac, grantsOf, isControllerRequest } from "./rbac-check.js";

const rules = [
  { apiGroups: ["cluster.k8s.io"], resources: ["clusters", "clusters/status"], verbs: ["get", "patch"] },
  { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
];
const request = (verb: string, resource: string, subresource?: string, group = "cluster.k8s.io") =>
  ({
    verb,
    group,
    resource,
    subresource,
    namespace: "ns",
    userAgent: "clusterform-controller",
  }) as AuditRecord;

describe("checkRbac", () => {
  it("allows a request a rule names, subresources included, and reports the grants left unused", () => {
    const findings = checkRbac(rules, [request("get", "clusters"), request("patch", "clusters", "status")]);
    expect(findings.denied).toEqual([]);
    expect(findings.unused).toEqual([
      { group: "cluster.k8s.io", resource: "clusters", verb: "patch" },
      { group: "cluster.k8s.io", resource: "clusters/status", verb: "get" },
      { group: "", resource: "secrets", verb: "create" },
    ]);
    expect(findings.used).toEqual([
      { group: "cluster.k8s.io", resource: "clusters", verb: "get" },
      { group: "cluster.k8s.io", resource: "clusters/status", verb: "patch" },
    ]);
  });

  it("denies another verb, a subresource the rule does not name, and another group", () => {
    const findings = checkRbac(rules, [
      request("delete", "clusters"),
      request("patch", "clusters", "scale"),
      request("get", "clusters", undefined, "other.io"),
      request("delete", "clusters"),
    ]);
    expect(findings.denied).toEqual([
      { group: "cluster.k8s.io", resource: "clusters", verb: "delete" },
      { group: "cluster.k8s.io", resource: "clusters/scale", verb: "patch" },
      { group: "other.io", resource: "clusters", verb: "get" },
    ]);
  });

  it("refuses wildcard rules", () => {
    expect(() => grantsOf([{ apiGroups: ["*"], resources: ["x"], verbs: ["get"] }])).toThrow(/wildcard/);
  });

  it("counts the controller's and Terraform's requests, not kubectl's or a test client's", () => {
    const agent = "clusterform-controller";
    expect(isControllerRequest({ ...request("get", "x"), userAgent: agent }, agent)).toBe(true);
    expect(
      isControllerRequest({ ...request("get", "x"), userAgent: "HashiCorp/1.0 Terraform/1.11.4" }, agent),
    ).toBe(true);
    expect(isControllerRequest({ ...request("get", "x"), userAgent: "kubectl/v1.32.4" }, agent)).toBe(false);
    expect(isControllerRequest({ ...request("get", "x"), userAgent: "" }, agent)).toBe(false);
  });
});
