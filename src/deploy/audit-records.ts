import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { IPolicyRule } from "kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule";
import type { AuditRecord } from "../api/audit-record.js";
import { CONTROLLER_USER_AGENT } from "../controllers/runtime/user-agent.js";
import { componentObjects } from "./components.js";
import { checkRbac, isControllerRequest, type RbacFindings } from "./rbac-check.js";

/** The controller's and its Terraform's requests from every audit file (*.jsonl) in a directory. */
export function readControllerRequests(dir: string): AuditRecord[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".jsonl"))
    .flatMap((file) =>
      readFileSync(join(dir, file), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditRecord)
        .filter((record) => isControllerRequest(record, CONTROLLER_USER_AGENT)),
    );
}

/** The rules of the shipped ClusterRole (the generated components). */
export function shippedRules(): IPolicyRule[] {
  const role = componentObjects().find((object) => object.kind === "ClusterRole") as
    | { rules?: IPolicyRule[] }
    | undefined;
  if (!role?.rules) throw new Error("the components hold no ClusterRole with rules");
  return role.rules;
}

/** The shipped rules against the requests recorded in an audit directory. */
export function checkAuditDir(dir: string): RbacFindings & { requests: number } {
  const records = readControllerRequests(dir);
  return { ...checkRbac(shippedRules(), records), requests: records.length };
}
