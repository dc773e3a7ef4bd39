import { describe, expect, it } from "vitest";
import { formatPath, maskSensitive, redactPlanJson, SENSITIVE } from "./plan-json.js";
import { REDACTED, Redactor } from "./redact.js";

describe("maskSensitive", () => {
  it("replaces exactly the parts the mask marks", () => {
    const value = { name: "a", password: "p", nested: { token: "t", keep: 1 }, list: ["x", "y"] };
    const mask = { password: true, nested: { token: true }, list: [false, true] };
    expect(maskSensitive(value, mask)).toEqual({
      name: "a",
      password: SENSITIVE,
      nested: { token: SENSITIVE, keep: 1 },
      list: ["x", SENSITIVE],
    });
  });

  it("keeps nulls (no value is not a secret) and masks whole values", () => {
    expect(maskSensitive(null, true)).toBeNull();
    expect(maskSensitive({ a: 1 }, true)).toBe(SENSITIVE);
  });
});

describe("redactPlanJson", () => {
  // Shape of `terraform show -json` for a plan (Terraform 1.11), trimmed.
  const plan = {
    format_version: "1.2",
    terraform_version: "1.11.4",
    configuration: { provider_config: { aws: { expressions: { secret_key: { constant_value: "leak" } } } } },
    prior_state: { values: { outputs: { secret: { value: "s3cr3t", sensitive: true } } } },
    resource_changes: [
      {
        address: "aws_instance.w1",
        action_reason: "replace_because_cannot_update",
        change: {
          actions: ["delete", "create"],
          before: { user_data: "old", tags: { Owner: "team-hunter22" } },
          after: { user_data: "new", tags: { Owner: "team-hunter22" } },
          after_unknown: { id: true },
          before_sensitive: { user_data: true },
          after_sensitive: { user_data: true },
          replace_paths: [["subnet_id"], ["root_block_device", 0, "volume_size"]],
        },
      },
    ],
    output_changes: {
      secret: {
        actions: ["create"],
        before: null,
        after: "s3cr3t",
        before_sensitive: true,
        after_sensitive: true,
      },
    },
  };

  it("keeps only the changes, masks sensitive values and redacts known secrets", () => {
    const redacted = redactPlanJson(plan, new Redactor(["hunter22"]));
    expect(redacted).toEqual({
      formatVersion: "1.2",
      terraformVersion: "1.11.4",
      resourceChanges: [
        {
          address: "aws_instance.w1",
          actions: ["delete", "create"],
          actionReason: "replace_because_cannot_update",
          replacePaths: ["subnet_id", "root_block_device[0].volume_size"],
          before: { user_data: SENSITIVE, tags: { Owner: `team-${REDACTED}` } },
          after: { user_data: SENSITIVE, tags: { Owner: `team-${REDACTED}` } },
          afterUnknown: { id: true },
        },
      ],
      resourceDrift: [],
      outputChanges: { secret: { actions: ["create"], before: null, after: SENSITIVE } },
    });
    const text = JSON.stringify(redacted);
    expect(text).not.toContain("s3cr3t");
    expect(text).not.toContain("leak");
  });
});

describe("formatPath", () => {
  it("joins attribute names with dots and indexes in brackets, ignoring junk", () => {
    expect(formatPath(["subnet_id"])).toBe("subnet_id");
    expect(formatPath(["ebs_block_device", 1, "volume_type"])).toBe("ebs_block_device[1].volume_type");
    expect(formatPath("subnet_id")).toBe("");
    expect(formatPath([null, "ami"])).toBe("ami");
  });
});
