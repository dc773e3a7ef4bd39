import { describe, expect, it } from "vitest";
import { PrerequisiteError } from "../errors.js";
import { sandboxAwsEnv, startMotoServer } from "./moto.js";

describe("startMotoServer", () => {
  it("says how to install moto when it cannot be started", async () => {
    const attempt = startMotoServer({ command: ["/nonexistent/moto_server"] });
    await expect(attempt).rejects.toBeInstanceOf(PrerequisiteError);
    await expect(attempt).rejects.toThrow(/pip install "moto\[server\]"/);
  });
});

describe("sandboxAwsEnv", () => {
  it("uses dummy credentials and never a real profile or metadata service", () => {
    const env = sandboxAwsEnv("http://127.0.0.1:5000", "eu-west-1");
    expect(env).toMatchObject({
      AWS_ACCESS_KEY_ID: "testing",
      AWS_REGION: "eu-west-1",
      AWS_ENDPOINT_URL: "http://127.0.0.1:5000",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
    });
  });
});
