import { describe, expect, it } from "vitest";
import { sensitiveOutputsNotice } from "./sensitive-outputs.js";

describe("sensitiveOutputsNotice", () => {
  it("says nothing when no output is sensitive", () => {
    expect(sensitiveOutputsNotice([], "/state/default/demo")).toBeUndefined();
  });

  it("names the sensitive outputs and how to read one in the working directory", () => {
    expect(sensitiveOutputsNotice(["a_secret", "b_secret"], "/state/default/demo")).toBe(
      "sensitive outputs (not printed): a_secret, b_secret; " +
        "read one with: terraform -chdir=/state/default/demo output -raw a_secret",
    );
  });

  it("quotes a working directory the shell would split", () => {
    expect(sensitiveOutputsNotice(["s"], "/my state/it's")).toContain(
      "terraform -chdir='/my state/it'\\''s' output -raw s",
    );
  });
});
