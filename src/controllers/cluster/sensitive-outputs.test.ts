import { describe, expect, it } from "vitest";
import type { OutputValue } from "../../terraform/types.js";
import type { OutputsSecret } from "./outputs-secret.js";
import { outputsWithoutChanges, publishSensitiveOutputs } from "./sensitive-outputs.js";
import type { ClusterStore } from "./store.js";
import { testScope } from "./test-scope.js";

/** Records the two store calls these functions make; everything else is unused. */
function recordingStore() {
  const writes: { name: string; secret: OutputsSecret | undefined }[] = [];
  const events: string[] = [];
  const store = {
    writeOutputsSecret: async (_cluster: unknown, name: string, secret: OutputsSecret | undefined) => {
      writes.push({ name, secret });
    },
    event: async (_object: unknown, _type: string, reason: string, message: string) => {
      events.push(`${reason}: ${message}`);
    },
  } as unknown as ClusterStore;
  return { store, writes, events };
}

function runWith(outputs: Record<string, OutputValue>) {
  const run = {
    calls: 0,
    outputs: async () => {
      run.calls++;
      return outputs;
    },
  };
  return run;
}

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const withSecret: Record<string, OutputValue> = {
  cloud_access_key_id: { value: "AKIAEXAMPLE", sensitive: false },
  cloud_secret_access_key: { value: SECRET, sensitive: true },
};

describe("publishSensitiveOutputs", () => {
  it("writes the Secret with the values and an Event with the names only", async () => {
    const { store, writes, events } = recordingStore();
    await publishSensitiveOutputs(store, testScope([]).cluster, withSecret);
    expect(writes.map((w) => w.name)).toEqual(["demo-outputs"]);
    expect(Buffer.from(writes[0]?.secret?.data.cloud_secret_access_key ?? "", "base64").toString()).toBe(
      SECRET,
    );
    expect(events).toEqual([
      "SensitiveOutputsStored: sensitive outputs cloud_secret_access_key are in Secret demo-outputs",
    ]);
  });

  it("asks for the Secret's removal, quietly, when no output is sensitive", async () => {
    const { store, writes, events } = recordingStore();
    await publishSensitiveOutputs(store, testScope([]).cluster, { id: { value: "x", sensitive: false } });
    expect(writes).toEqual([{ name: "demo-outputs", secret: undefined }]);
    expect(events).toEqual([]);
  });
});

describe("outputsWithoutChanges", () => {
  const applied = (outputs: Record<string, { value?: unknown; sensitive: boolean }>, configHash = "h1") => ({
    applied: { configHash, provider: "aws" as const, outputs, appliedAt: "2026-01-01T00:00:00Z" },
  });

  it("uses the applied record of this configuration when it holds no sensitive output", async () => {
    const { store, writes } = recordingStore();
    const run = runWith(withSecret);
    const scope = testScope([], applied({ id: { value: "x", sensitive: false } }));
    const outputs = await outputsWithoutChanges(store, scope, "h1", run);
    expect(outputs).toEqual({ id: { value: "x", sensitive: false } });
    expect(run.calls).toBe(0);
    expect(writes).toEqual([]);
  });

  it("reads Terraform's outputs and rewrites the Secret when the record names a sensitive output", async () => {
    const { store, writes } = recordingStore();
    const run = runWith(withSecret);
    const scope = testScope([], applied({ cloud_secret_access_key: { sensitive: true } }));
    const outputs = await outputsWithoutChanges(store, scope, "h1", run);
    expect(run.calls).toBe(1);
    expect(writes.map((w) => w.name)).toEqual(["demo-outputs"]);
    // What goes on to status and the record keeps the flag, never the value.
    expect(outputs.cloud_secret_access_key).toEqual({ sensitive: true });
    expect(JSON.stringify(outputs)).not.toContain(SECRET);
  });

  it("reads Terraform's outputs when the record is of another configuration (a Secret write may have failed)", async () => {
    const { store, writes } = recordingStore();
    const run = runWith(withSecret);
    const scope = testScope([], applied({ id: { value: "x", sensitive: false } }, "old"));
    await outputsWithoutChanges(store, scope, "h1", run);
    expect(run.calls).toBe(1);
    expect(writes).toHaveLength(1);
  });
});
