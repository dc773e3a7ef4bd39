import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ObjectStore } from "./store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("object store", () => {
  it("hands out increasing resourceVersions that continue after reopening, never 0", () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-store-"));
    dirs.push(dir);
    const store = new ObjectStore(dir);
    const object = { metadata: { name: "a", namespace: "default" } };
    const [created] = store.commit([{ type: "ADDED", key: "core/configmaps", object }]);
    const [deleted] = store.commit([{ type: "DELETED", key: "core/configmaps", object }]);
    store.close();
    const reopened = new ObjectStore(dir);
    const [again] = reopened.commit([{ type: "ADDED", key: "core/configmaps", object }]);
    expect(Number(created?.object.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(deleted?.rv).toBeGreaterThan(created?.rv ?? 0);
    expect(again?.rv).toBeGreaterThan(deleted?.rv ?? 0);
    expect(reopened.get("core/configmaps", "default", "a")?.metadata.resourceVersion).toBe(String(again?.rv));
    expect(reopened.eventsSince(0).map((e) => e.type)).toEqual(["ADDED", "DELETED", "ADDED"]);
    reopened.close();
  });
});
