/**
 * Owner-reference garbage collection, which a real cluster's
 * controller-manager does: background and foreground cascading, orphaning.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures, startTestServer, type TestServer } from "./helpers.js";

let server: TestServer;

async function ok(args: string[], input?: string): Promise<string> {
  const result = await server.kubectl(args, input);
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

/** An owner Widget with two ConfigMaps depending on it; the second also blocks foreground deletion. */
async function ownerWithDependents(name: string): Promise<void> {
  await ok(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name },
      spec: { size: "small" },
    }),
  );
  const uid = await ok(["get", "wd", name, "-o", "jsonpath={.metadata.uid}"]);
  for (const [suffix, block] of [
    ["a", false],
    ["b", true],
  ] as const) {
    const ownerReferences = [
      { apiVersion: "example.com/v1", kind: "Widget", name, uid, blockOwnerDeletion: block },
    ];
    await ok(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `${name}-${suffix}`, ownerReferences },
        data: { k: "v" },
      }),
    );
  }
}

async function configMapsOf(name: string): Promise<string[]> {
  const out = await ok(["get", "cm", "-o", 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}']);
  return out.split("\n").filter((n) => n.startsWith(`${name}-`));
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  await ok(["apply", "-f", join(fixtures, "widget-crd.yaml")]);
  await ok(["wait", "--for=condition=Established", "crd/widgets.example.com"]);
});
afterAll(async () => {
  await server?.stop();
});

describe("garbage collection of dependents", () => {
  it("deletes dependents after their owner is gone (background)", async () => {
    await ownerWithDependents("bg");
    await ok(["delete", "wd", "bg", "--cascade=background"]);
    await eventually(async () => (await configMapsOf("bg")).length === 0, "dependents to be collected");
  });

  it("keeps the owner until its dependents are deleted (foreground)", async () => {
    await ownerWithDependents("fg");
    await ok([
      "patch",
      "cm",
      "fg-b",
      "--type",
      "merge",
      "-p",
      '{"metadata":{"finalizers":["example.com/slow"]}}',
    ]);
    await ok(["delete", "wd", "fg", "--cascade=foreground", "--wait=false"]);
    await eventually(
      async () => (await configMapsOf("fg")).join(",") === "fg-b",
      "the unblocked dependent to go",
    );
    expect(await ok(["get", "wd", "fg", "-o", "jsonpath={.metadata.finalizers}"])).toContain(
      "foregroundDeletion",
    );
    await ok([
      "patch",
      "cm",
      "fg-b",
      "--type",
      "json",
      "-p",
      '[{"op":"remove","path":"/metadata/finalizers"}]',
    ]);
    await eventually(
      async () => (await server.kubectl(["get", "wd", "fg"])).exitCode !== 0,
      "the owner to go",
    );
    expect(await configMapsOf("fg")).toEqual([]);
  });

  it("leaves dependents without the owner reference (orphan)", async () => {
    await ownerWithDependents("or");
    await ok(["delete", "wd", "or", "--cascade=orphan"]);
    await eventually(
      async () => (await server.kubectl(["get", "wd", "or"])).exitCode !== 0,
      "the owner to go",
    );
    expect(await configMapsOf("or")).toEqual(["or-a", "or-b"]);
    expect(await ok(["get", "cm", "or-a", "-o", "jsonpath={.metadata.ownerReferences}"])).toBe("");
  });
});
