import { child, parseXml, textAt } from "../util/xml.js";
import { sandboxQuery } from "./query.js";

/** IAM in the sandbox: what Terraform created, for tests to check. IAM is global; moto serves it in any region. */

export interface SandboxAccessKey {
  accessKeyId: string;
  status: string;
}

/** The access keys of an IAM user (ids and status; AWS never returns a secret key after creation). */
export async function listAccessKeys(endpoint: string, userName: string): Promise<SandboxAccessKey[]> {
  const params = new URLSearchParams({ Action: "ListAccessKeys", Version: "2010-05-08", UserName: userName });
  const root = parseXml(await sandboxQuery(endpoint, "iam", params, "us-east-1")).children[0];
  const members = child(child(root, "ListAccessKeysResult"), "AccessKeyMetadata")?.children ?? [];
  return members
    .filter((member) => member.name === "member")
    .map((member) => ({ accessKeyId: textAt(member, "AccessKeyId"), status: textAt(member, "Status") }));
}
