import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Redactor } from "../terraform/redact.js";
import type { RedactedPlanJson } from "../terraform/types.js";
import {
  joinPlanText,
  PLAN_ID_ANNOTATION,
  PLAN_JSON_GZ_KEY,
  PLAN_OF_LABEL,
  type PlanPayloadInput,
  planConfigMaps,
  splitText,
} from "./plan-configmap.js";
import { colourPlanText } from "./render.js";

const SECRET = "s3cr3t-canary-value";
const json: RedactedPlanJson = {
  formatVersion: "1.2",
  terraformVersion: "1.11.4",
  resourceChanges: [
    {
      address: "aws_instance.a",
      actions: ["create"],
      before: null,
      after: { tags: { t: SECRET } },
      afterUnknown: {},
    },
  ],
  resourceDrift: [],
  outputChanges: {},
};
const input = (text: string, maxPartBytes?: number): PlanPayloadInput => ({
  cluster: { name: "demo", namespace: "ns1", uid: "uid-1" },
  id: "0123456789abcdef",
  summary: "Plan 0123456789abcdef: 1 to add, 0 to change, 0 to destroy",
  text,
  json,
  redactor: new Redactor([SECRET]),
  ...(maxPartBytes ? { maxPartBytes } : {}),
});

describe("planConfigMaps", () => {
  it("puts a small plan in one ConfigMap <cluster>-plan, owned by the Cluster and redacted", () => {
    const [cm, ...rest] = planConfigMaps(input(`  + tags = { t = "${SECRET}" }\nPlan: 1 to add\n`));
    expect(rest).toEqual([]);
    expect(cm?.metadata.name).toBe("demo-plan");
    expect(cm?.metadata.namespace).toBe("ns1");
    expect(cm?.metadata.labels[PLAN_OF_LABEL]).toBe("demo");
    expect(cm?.metadata.annotations[PLAN_ID_ANNOTATION]).toBe("0123456789abcdef");
    expect(cm?.metadata.ownerReferences[0]).toMatchObject({
      kind: "Cluster",
      uid: "uid-1",
      controller: true,
    });
    expect(cm?.data["plan.txt"]).toContain("Plan: 1 to add");
    expect(JSON.parse(cm?.data["plan.json"] ?? "")).toMatchObject({
      resourceChanges: [{ address: "aws_instance.a" }],
    });
    expect(JSON.stringify(cm)).not.toContain(SECRET);
  });

  it("splits a plan bigger than one object into parts of plain text, JSON gzipped, every part within the limit", () => {
    const lines = Array.from({ length: 400 }, (_, i) => `  + resource line ${i} ${"x".repeat(40)}\n`).join(
      "",
    );
    const parts = planConfigMaps(input(lines, 4096));
    expect(parts.length).toBeGreaterThan(4);
    expect(parts.map((p) => p.metadata.name).slice(0, 3)).toEqual([
      "demo-plan",
      "demo-plan-001",
      "demo-plan-002",
    ]);
    for (const part of parts) {
      const size =
        Object.values(part.data).join("").length + Object.values(part.binaryData ?? {}).join("").length;
      expect(size).toBeLessThanOrEqual(4096);
      expect(part.data["plan.txt"]?.endsWith("\n")).toBe(true);
    }
    expect(joinPlanText(parts)).toBe(lines);
    const packed = parts[0]?.binaryData?.[PLAN_JSON_GZ_KEY] ?? "";
    expect(JSON.parse(gunzipSync(Buffer.from(packed, "base64")).toString())).toMatchObject({
      terraformVersion: "1.11.4",
    });
  });

  it("refuses to join an incomplete or mixed set of parts", () => {
    const lines = "line\n".repeat(2000);
    const parts = planConfigMaps(input(lines, 4096));
    expect(() => joinPlanText(parts.slice(1))).toThrow(/incomplete/);
  });
});

describe("splitText", () => {
  it("cuts on line ends and splits a single over-long line by bytes without breaking characters", () => {
    expect(splitText("ab\ncd\n", 3, 3)).toEqual(["ab\n", "cd\n"]);
    const chunks = splitText("ééééé", 4, 4);
    expect(chunks.join("")).toBe("ééééé");
    for (const chunk of chunks) expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(4);
  });
});

describe("colourPlanText", () => {
  it("colours additions green, removals red, updates yellow and replacements magenta", () => {
    const out = colourPlanText("  + a\n  - b\n  ~ c\n-/+ d\nplain");
    expect(out).toContain("\u001b[32m  + a");
    expect(out).toContain("\u001b[31m  - b");
    expect(out).toContain("\u001b[33m  ~ c");
    expect(out).toContain("\u001b[35m-/+ d");
    expect(out.endsWith("plain")).toBe(true);
  });
});
