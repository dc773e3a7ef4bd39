import { describe, expect, it } from "vitest";
import { type ApiClient, ApiError } from "../runtime/api-client.js";
import { deepEqual, mergePatchBetween, patchStatusGuarded, withForeignConditions } from "./status-patch.js";

describe("mergePatchBetween", () => {
  it("is undefined when nothing changed, whatever the key order", () => {
    expect(mergePatchBetween({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBeUndefined();
  });

  it("carries changed leaves, nulls removed keys and replaces arrays whole", () => {
    const patch = mergePatchBetween(
      {
        replicas: 2,
        errorReason: "InvalidConfiguration",
        conditions: [{ type: "Ready" }],
        nested: { x: 1, y: 2 },
      },
      { replicas: 3, conditions: [{ type: "Ready" }, { type: "Other" }], nested: { x: 1, y: 3 } },
    );
    expect(patch).toEqual({
      replicas: 3,
      errorReason: null,
      conditions: [{ type: "Ready" }, { type: "Other" }],
      nested: { y: 3 },
    });
  });

  it("treats undefined like absent", () => {
    expect(mergePatchBetween({ a: 1 }, { a: 1, b: undefined })).toBeUndefined();
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });
});

describe("patchStatusGuarded", () => {
  const resource = {
    group: "cluster.k8s.io",
    version: "v1alpha1",
    plural: "machines",
    kind: "Machine",
    namespaced: true,
  };
  const ours = { type: "Ready", status: "True", reason: "InstanceRunning" };
  const theirs = { type: "NodeHealthy", status: "True", reason: "NodeReady" };

  /** A server holding one Machine; a patch with a stale resourceVersion is a 409, as the API server answers. */
  function server(stored: { metadata: { name: string; resourceVersion: string }; status: object }) {
    const patches: unknown[] = [];
    const client = {
      patch: async (_r: unknown, _ns: unknown, _name: string, _type: string, body: never) => {
        const { metadata, status } = body as { metadata: { resourceVersion: string }; status: object };
        patches.push(body);
        if (metadata.resourceVersion !== stored.metadata.resourceVersion)
          throw new ApiError(409, "Conflict", "the object has been modified");
        stored.status = { ...stored.status, ...status };
        stored.metadata.resourceVersion = String(Number(stored.metadata.resourceVersion) + 1);
        return structuredClone(stored);
      },
      get: async () => structuredClone(stored),
    } as unknown as ApiClient;
    return { client, patches };
  }

  it("keeps the conditions another writer added since the read, and retries against the fresh copy", async () => {
    const stored = { metadata: { name: "m", resourceVersion: "2" }, status: { conditions: [theirs] } };
    const { client, patches } = server(stored);
    const stale = { metadata: { name: "m", resourceVersion: "1" }, status: {} };
    await patchStatusGuarded(client, resource, stale, { conditions: [ours] });
    expect(patches).toHaveLength(2);
    expect(stored.status).toEqual({ conditions: [ours, theirs] });
  });

  it("writes once, guarded, when nobody else wrote", async () => {
    const stored = { metadata: { name: "m", resourceVersion: "1" }, status: {} };
    const { client, patches } = server(stored);
    await patchStatusGuarded(client, resource, structuredClone(stored), { conditions: [ours] });
    expect(patches).toEqual([{ metadata: { resourceVersion: "1" }, status: { conditions: [ours] } }]);
  });
});

describe("withForeignConditions", () => {
  it("adds only the types the desired status does not set", () => {
    const desired = { conditions: [{ type: "Ready", status: "False" }] };
    const server = {
      conditions: [
        { type: "Ready", status: "True" },
        { type: "NodeHealthy", status: "True" },
      ],
    };
    expect(withForeignConditions(desired, server).conditions).toEqual([
      { type: "Ready", status: "False" },
      { type: "NodeHealthy", status: "True" },
    ]);
    expect(withForeignConditions(desired, undefined)).toBe(desired);
  });
});
