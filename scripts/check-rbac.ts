// Checks the shipped ClusterRole against the requests audited in a directory
// (npm run check:rbac -- DIR [--complete]): every request must be allowed;
// with --complete (the audit of a whole e2e run) every grant must be used. It
// also lists the grants the audit used: run one e2e file with
// CLUSTERFORM_AUDIT_DIR set to an empty directory to see what that file exercises.
import { checkAuditDir } from "../src/deploy/audit-records.js";
import { describeGrants } from "../src/deploy/rbac-check.js";

const [dir, flag] = process.argv.slice(2);
if (!dir) throw new Error("usage: npm run check:rbac -- AUDIT_DIR [--complete]");
const findings = checkAuditDir(dir);
console.log(`${findings.requests} controller and Terraform requests checked`);
console.log(`grants used: ${describeGrants(findings.used) || "none"}`);
if (findings.denied.length) console.log(`denied by the shipped rules: ${describeGrants(findings.denied)}`);
if (findings.unused.length) console.log(`granted but never used: ${describeGrants(findings.unused)}`);
process.exitCode = findings.denied.length || (flag === "--complete" && findings.unused.length) ? 1 : 0;
