import { describe, expect, it } from "vitest";
import type { KubeObject } from "../store.js";
import { configMapCauses, isBase64, secretCauses } from "./config-data.js";
import { configKeyErrors, labelValueErrors, qualifiedNameErrors } from "./names.js";
import { objectMetaCauses, totalAnnotationSizeLimit } from "./object-meta.js";

const meta = (metadata: Record<string, unknown>): KubeObject =>
  ({ metadata: { name: "x", ...metadata } }) as KubeObject;
const fields = (causes: { field?: string }[]) => causes.map((cause) => cause.field);

describe("qualified names (label, annotation and finalizer keys)", () => {
  it("accepts names with an optional DNS subdomain prefix", () => {
    for (const good of ["app", "App_1.x-y", "example.com/name", "a/b", "cluster.k8s.io/cluster-name"])
      expect(qualifiedNameErrors(good), good).toEqual([]);
  });

  it("rejects empty parts, bad characters, long names, bad prefixes and extra slashes", () => {
    expect(qualifiedNameErrors("")).toEqual(["name part must be non-empty"]);
    expect(qualifiedNameErrors("/x")).toEqual(["prefix part must be non-empty"]);
    expect(qualifiedNameErrors("bad key")[0]).toMatch(/^name part must consist of alphanumeric/);
    expect(qualifiedNameErrors("-x")[0]).toMatch(/^name part must consist/);
    expect(qualifiedNameErrors("a".repeat(64))).toEqual(["name part must be no more than 63 characters"]);
    expect(qualifiedNameErrors("Example.com/x")[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(qualifiedNameErrors(`${"a".repeat(254)}/x`)).toEqual([
      "prefix part must be no more than 253 characters",
    ]);
    expect(qualifiedNameErrors("a/b/c")[0]).toMatch(/^a qualified name must consist/);
  });

  it("checks label values: empty or alphanumeric ends, at most 63", () => {
    expect(labelValueErrors("")).toEqual([]);
    expect(labelValueErrors("v1.2_x-y")).toEqual([]);
    expect(labelValueErrors("bad value")).toHaveLength(1);
    expect(labelValueErrors("x-")).toHaveLength(1);
    expect(labelValueErrors("a".repeat(64))).toEqual(["must be no more than 63 characters"]);
  });
});

describe("ObjectMeta rules", () => {
  it("names the label, annotation and finalizer fields", () => {
    expect(fields(objectMetaCauses("Widget", meta({ labels: { "bad key": "ok" } })))).toEqual([
      "metadata.labels",
    ]);
    expect(fields(objectMetaCauses("Widget", meta({ labels: { ok: "bad value" } })))).toEqual([
      "metadata.labels",
    ]);
    expect(fields(objectMetaCauses("Widget", meta({ labels: { ok: 3 } })))).toEqual(["metadata.labels[ok]"]);
    expect(fields(objectMetaCauses("Widget", meta({ annotations: { "a/b/c": "v" } })))).toEqual([
      "metadata.annotations",
    ]);
    expect(
      fields(objectMetaCauses("Widget", meta({ finalizers: ["example.com/ok", "bad finalizer"] }))),
    ).toEqual(["metadata.finalizers"]);
    expect(fields(objectMetaCauses("Widget", meta({ finalizers: "nope" })))).toEqual(["metadata.finalizers"]);
  });

  it("allows upper case in annotation key prefixes, as the apiserver does", () => {
    expect(objectMetaCauses("Widget", meta({ annotations: { "Example.com/Key": "v" } }))).toEqual([]);
  });

  it("limits the total annotation size to 256 KiB", () => {
    const big = "v".repeat(totalAnnotationSizeLimit);
    expect(objectMetaCauses("Widget", meta({ annotations: { k: big } }))).toEqual([
      expect.objectContaining({ field: "metadata.annotations", reason: "FieldValueTooLong" }),
    ]);
    expect(objectMetaCauses("Widget", meta({ annotations: { k: big.slice(1) } }))).toEqual([]);
  });

  it("shows a long bad value cut short", () => {
    const [cause] = objectMetaCauses("Widget", meta({ labels: { ok: `${"x".repeat(5000)} ` } }));
    expect((cause?.message ?? "").length).toBeLessThan(500);
  });
});

describe("ConfigMap and Secret contents", () => {
  it("checks keys like file names", () => {
    expect(configKeyErrors("key.name_1-x")).toEqual([]);
    expect(configKeyErrors("bad/key")).toHaveLength(1);
    expect(configKeyErrors("..x")).toEqual(["must not start with '..'"]);
    expect(configKeyErrors("k".repeat(254))).toEqual(["must be no more than 253 characters"]);
  });

  it("requires base64 in Secret data and names the key", () => {
    expect(isBase64("aGVsbG8=")).toBe(true);
    expect(isBase64("aGVs\nbG8=")).toBe(true);
    expect(isBase64("hello!")).toBe(false);
    expect(isBase64("abc")).toBe(false);
    const secret = { metadata: { name: "s" }, data: { good: "aGk=", bad: "not base64!" } } as KubeObject;
    expect(secretCauses(secret)).toEqual([
      expect.objectContaining({ field: "data[bad]", message: expect.stringContaining("base64") }),
    ]);
  });

  it("rejects bad keys, base64-less binaryData, keys in both maps and content over 1 MiB", () => {
    const configMap = {
      metadata: { name: "c" },
      data: { "bad key": "v", both: "v" },
      binaryData: { both: "aGk=", raw: "???" },
    } as KubeObject;
    expect(fields(configMapCauses(configMap))).toEqual(["data[bad key]", "data[both]", "binaryData[raw]"]);
    const big = { metadata: { name: "c" }, data: { k: "x".repeat(1024 * 1024) } } as KubeObject;
    expect(configMapCauses(big)).toEqual([expect.objectContaining({ reason: "FieldValueTooLong" })]);
  });
});
