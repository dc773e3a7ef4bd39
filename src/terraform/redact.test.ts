import { describe, expect, it } from "vitest";
import { REDACTED, Redactor } from "./redact.js";

describe("Redactor", () => {
  it("masks credentials from the environment wherever they appear, keys included", () => {
    const redactor = Redactor.fromEnv({
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG",
      VSPHERE_PASSWORD: 'p@ss"word',
      TF_VAR_db_password: "hunter22",
      AWS_REGION: "us-east-1",
    });
    const out = redactor.redact({
      message: "signing with wJalrXUtnFEMI/K7MDENG failed",
      list: ["hunter22", { 'p@ss"word': 1 }],
      json: '{"password":"p@ss\\"word"}',
      region: "us-east-1",
      count: 3,
    });
    expect(out).toEqual({
      message: `signing with ${REDACTED} failed`,
      list: [REDACTED, { [REDACTED]: 1 }],
      json: `{"password":"${REDACTED}"}`,
      region: "us-east-1",
      count: 3,
    });
  });

  it("masks a longer secret whole when it contains a shorter one", () => {
    const redactor = new Redactor(["abcd", "abcdefgh"]);
    expect(redactor.redactText("x abcdefgh y abcd")).toBe(`x ${REDACTED} y ${REDACTED}`);
  });

  it("ignores values too short to be secrets and escapes regex characters", () => {
    const redactor = new Redactor(["ab", "a.b*c"]);
    expect(redactor.redactText("ab aXbbc a.b*c")).toBe(`ab aXbbc ${REDACTED}`);
  });

  it("returns the same object when there is nothing to mask", () => {
    const value = { a: "b" };
    expect(new Redactor().redact(value)).toBe(value);
  });
});
