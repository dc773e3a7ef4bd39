import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { jsonLogger } from "./json-logger.js";
import { withFields } from "./logger.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, raw, stream };
}

describe("jsonLogger", () => {
  it("writes one JSON object per line: ISO time, level name, msg and the fields", () => {
    const { lines, stream } = capture();
    jsonLogger("info", stream).warn("lease update failed", { lease: "clusterform-controller" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "warn",
      msg: "lease update failed",
      lease: "clusterform-controller",
    });
    expect(new Date(String(lines[0]?.time)).toISOString()).toBe(lines[0]?.time);
  });

  it("drops lines below the level", () => {
    const { lines, stream } = capture();
    const logger = jsonLogger("info", stream);
    logger.debug("noise");
    logger.info("kept");
    expect(lines.map((line) => line.msg)).toEqual(["kept"]);
  });

  it("puts a child's fields on every line, once, even when a call repeats one of them", () => {
    const { lines, raw, stream } = capture();
    const reconcile = withFields(jsonLogger("debug", stream), {
      controller: "cluster",
      namespace: "team-a",
      cluster: "alpha",
      reconcileID: "r-1",
    });
    reconcile.info("planning", { cluster: "team-a/alpha", why: "spec changed" });
    reconcile.child?.({ step: "apply" }).error("apply failed");
    for (const line of lines)
      expect(line).toMatchObject({
        controller: "cluster",
        namespace: "team-a",
        cluster: "alpha",
        reconcileID: "r-1",
      });
    expect(lines[0]?.why).toBe("spec changed");
    expect(lines[1]?.step).toBe("apply");
    expect(raw[0]?.match(/"cluster":/g)).toHaveLength(1);
  });
});

describe("withFields on a logger without children", () => {
  it("merges the bound fields into every call", () => {
    const seen: Record<string, unknown>[] = [];
    const plain = {
      debug() {},
      info: (_message: string, fields?: Record<string, unknown>) => seen.push(fields ?? {}),
      warn() {},
      error() {},
    };
    withFields(plain, { controller: "machineset", reconcileID: "r-2" }).info("scaled", { replicas: 3 });
    expect(seen).toEqual([{ controller: "machineset", reconcileID: "r-2", replicas: 3 }]);
  });
});
