import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONTROLLER_USER_AGENT } from "../controllers/runtime/user-agent.js";
import { isControllerRequest, type RequestRecord } from "./rbac-check.js";

/** The controller's and its Terraform's requests from every audit file (*.jsonl) in a directory. */
export function readControllerRequests(dir: string): { records: RequestRecord[]; files: number } {
  const files = readdirSync(dir).filter((file) => file.endsWith(".jsonl"));
  const records = files.flatMap((file) =>
    readFileSync(join(dir, file), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RequestRecord)
      .filter((record) => isControllerRequest(record, CONTROLLER_USER_AGENT)),
  );
  return { records, files: files.length };
}
