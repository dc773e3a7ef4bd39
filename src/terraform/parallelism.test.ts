import { describe, expect, it } from "vitest";
import { applyParallelism } from "./parallelism.js";

describe("applyParallelism", () => {
  it("leaves Terraform's default for plans of up to 10 changes", () => {
    expect(applyParallelism(0)).toBeUndefined();
    expect(applyParallelism(3)).toBeUndefined();
    expect(applyParallelism(10)).toBeUndefined();
  });

  it("runs one operation per planned change for bigger plans", () => {
    expect(applyParallelism(30)).toBe(30);
  });

  it("never goes above the user's bound (cloud API rate limits)", () => {
    expect(applyParallelism(120)).toBe(32);
    expect(applyParallelism(120, 20)).toBe(20);
  });

  it("honours a bound below Terraform's default, also when the plan's size is unknown", () => {
    expect(applyParallelism(30, 4)).toBe(4);
    expect(applyParallelism(undefined, 4)).toBe(4);
    expect(applyParallelism(undefined, 50)).toBeUndefined();
  });
});
