import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  APPLIED_RECORD_FILE,
  type AppliedRecord,
  appliedAsConfigured,
  markApplyStarted,
  readAppliedRecord,
  writeAppliedRecord,
} from "./applied-record.js";

const record: AppliedRecord = {
  configHash: "h1",
  provider: "aws",
  outputs: { machines: { value: { a: { instance_id: "i-1" } }, sensitive: false } },
  appliedAt: "2026-01-01T00:00:00Z",
};

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("appliedAsConfigured", () => {
  it("is true for a record of this configuration with no apply begun since", () => {
    expect(appliedAsConfigured(record, "h1")).toBe(true);
  });

  it("is false for another configuration, no record, or an apply that did not finish", () => {
    expect(appliedAsConfigured(record, "h2")).toBe(false);
    expect(appliedAsConfigured(undefined, "h1")).toBe(false);
    expect(appliedAsConfigured({ ...record, applyStartedFor: "h2" }, "h1")).toBe(false);
    expect(appliedAsConfigured({ ...record, applyStartedFor: "h1" }, "h1")).toBe(false);
  });
});

describe("markApplyStarted", () => {
  it("marks the record on disk before Terraform applies, keeping its outputs for status", async () => {
    dir = await mkdtemp(join(tmpdir(), "cf-applied-"));
    await writeAppliedRecord(dir, record);
    const marked = await markApplyStarted(dir, record, "h2");
    expect(marked).toEqual({ ...record, applyStartedFor: "h2" });
    // What the next pass reads (a new process after a crash too) still says an apply is unfinished.
    const reread = await readAppliedRecord(dir);
    expect(reread?.applyStartedFor).toBe("h2");
    expect(reread?.outputs).toEqual(record.outputs);
    expect(appliedAsConfigured(reread, "h1")).toBe(false);
  });

  it("a successful apply's record clears the mark", async () => {
    dir = await mkdtemp(join(tmpdir(), "cf-applied-"));
    await markApplyStarted(dir, record, "h2");
    await writeAppliedRecord(dir, { ...record, configHash: "h2" });
    expect(appliedAsConfigured(await readAppliedRecord(dir), "h2")).toBe(true);
  });

  it("writes nothing when there is no record (a cluster never applied plans anyway)", async () => {
    dir = await mkdtemp(join(tmpdir(), "cf-applied-"));
    expect(await markApplyStarted(dir, undefined, "h2")).toBeUndefined();
    expect(await readAppliedRecord(dir)).toBeUndefined();
  });

  it("a mark that is not a string makes the record untrusted (one plan)", async () => {
    dir = await mkdtemp(join(tmpdir(), "cf-applied-"));
    await writeFile(join(dir, APPLIED_RECORD_FILE), JSON.stringify({ ...record, applyStartedFor: 7 }));
    expect(await readAppliedRecord(dir)).toBeUndefined();
    expect(JSON.parse(await readFile(join(dir, APPLIED_RECORD_FILE), "utf8")).applyStartedFor).toBe(7);
  });
});
