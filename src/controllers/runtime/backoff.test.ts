import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";

const noJitter = { baseMs: 100, maxMs: 5_000, jitter: 0 };

describe("backoffDelay", () => {
  it("doubles from the base with each failure", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, noJitter))).toEqual([100, 200, 400, 800]);
  });

  it("never exceeds the cap, even with jitter and huge failure counts", () => {
    expect(backoffDelay(7, noJitter)).toBe(5_000);
    expect(backoffDelay(10_000, noJitter)).toBe(5_000);
    expect(backoffDelay(50, { ...noJitter, jitter: 0.5 }, () => 1)).toBe(5_000);
  });

  it("spreads delays by the jitter fraction around the exponential value", () => {
    const options = { baseMs: 1_000, maxMs: 60_000, jitter: 0.2 };
    expect(backoffDelay(1, options, () => 0)).toBe(900);
    expect(backoffDelay(1, options, () => 1)).toBe(1_100);
    expect(backoffDelay(1, options, () => 0.5)).toBe(1_000);
  });
});
