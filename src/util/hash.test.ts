import { describe, expect, it } from "vitest";
import { hashValue, sha256 } from "./hash.js";

describe("hashing", () => {
  it("sha256 is the hex digest of the text", () => {
    expect(sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("hashValue ignores key order and undefined members", () => {
    expect(hashValue({ a: 1, b: { c: undefined, d: [1] } })).toBe(hashValue({ b: { d: [1] }, a: 1 }));
    expect(hashValue({ a: 1 })).toBe(sha256('{"a":1}'));
    expect(hashValue({ a: 1 })).not.toBe(hashValue({ a: 2 }));
  });
});
