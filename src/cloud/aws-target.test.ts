import { describe, expect, it } from "vitest";
import { awsApiTarget } from "./aws-target.js";

const KEYS = { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret" };

describe("the AWS API target (what Terraform's provider uses)", () => {
  it("uses the stack's endpoint override first, then AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL, then the region's", () => {
    const env = { ...KEYS, AWS_ENDPOINT_URL_EC2: "http://ec2.local", AWS_ENDPOINT_URL: "http://all.local" };
    const endpoint = (e: NodeJS.ProcessEnv, override?: string) => {
      const result = awsApiTarget(e, "eu-west-1", override);
      return result.ok ? result.target.endpoint : result.reason;
    };
    expect(endpoint(env, "http://127.0.0.1:5000")).toBe("http://127.0.0.1:5000");
    expect(endpoint(env)).toBe("http://ec2.local");
    expect(endpoint({ ...KEYS, AWS_ENDPOINT_URL: "http://all.local" })).toBe("http://all.local");
    expect(endpoint(KEYS)).toBe("https://ec2.eu-west-1.amazonaws.com");
    expect(endpoint(KEYS).startsWith("https://")).toBe(true);
  });

  it("takes static credentials from the environment, with a session token only when set", () => {
    const plain = awsApiTarget({ ...KEYS, AWS_SESSION_TOKEN: "" }, "us-east-1", undefined);
    expect(plain.ok && plain.target.credentials).toEqual({
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "secret",
    });
    const session = awsApiTarget({ ...KEYS, AWS_SESSION_TOKEN: "tok" }, "us-east-1", undefined);
    expect(session.ok && session.target.credentials.sessionToken).toBe("tok");
  });

  it("gives no target when Terraform would resolve credentials itself (profile, instance metadata)", () => {
    const result = awsApiTarget({ AWS_PROFILE: "prod" }, "us-east-1", undefined);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain("only full plans check drift");
  });
});
