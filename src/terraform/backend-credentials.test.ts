import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeBackendCredentials } from "./backend-credentials.js";

describe("backend credentials file (init -backend-config)", () => {
  it("writes each setting as a literal HCL string, private to the owner, and removes it when there are none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-backend-creds-"));
    const written = await writeBackendCredentials(dir, {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal hostile string on purpose
      secret_key: 'se"cr\\et${x}%{y}',
      access_key: "AKIA123",
    });
    expect(written).toBeDefined();
    const text = readFileSync(written?.path ?? "", "utf8");
    expect(text).toBe('access_key = "AKIA123"\nsecret_key = "se\\"cr\\\\et$${x}%%{y}"\n');
    expect(statSync(written?.path ?? "").mode & 0o777).toBe(0o600);
    const again = await writeBackendCredentials(dir, { access_key: "AKIA123", secret_key: "other" });
    expect(again?.digest).not.toBe(written?.digest);
    expect(await writeBackendCredentials(dir, undefined)).toBeUndefined();
    expect(existsSync(written?.path ?? "")).toBe(false);
  });
});
