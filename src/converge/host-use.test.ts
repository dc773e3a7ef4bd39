import { cpus } from "node:os";
import { describe, expect, it } from "vitest";
import { hostUseSampler } from "./host-use.js";

describe("hostUseSampler", () => {
  it("reads memory and an idle-core figure within the machine's bounds", async () => {
    const sample = hostUseSampler();
    const first = sample();
    expect(first.availableBytes).toBeGreaterThan(0);
    expect(first.availableBytes).toBeLessThanOrEqual(first.totalBytes);
    expect(first.cpus).toBe(cpus().length);
    await new Promise((r) => setTimeout(r, 1_100));
    const second = sample();
    expect(second.idleCores).toBeGreaterThanOrEqual(0);
    // Idle time is per CPU, so a window can never show more idle cores than there are (a little timer slack).
    expect(second.idleCores).toBeLessThanOrEqual(second.cpus * 1.1);
  });
});
