import { describe, expect, it } from "vitest";
import { describeBindAddress, parseBindAddress } from "./bind-address.js";

describe("parseBindAddress", () => {
  it("reads :port as every interface, host:port and [v6]:port", () => {
    expect(parseBindAddress("--x", ":8080")).toEqual({ host: "", port: 8080 });
    expect(parseBindAddress("--x", "127.0.0.1:9")).toEqual({ host: "127.0.0.1", port: 9 });
    expect(parseBindAddress("--x", "[::1]:8081")).toEqual({ host: "::1", port: 8081 });
  });

  it("turns 0 into off", () => {
    expect(parseBindAddress("--x", "0")).toBeUndefined();
  });

  it.each(["8080", "localhost", ":99999", ":", "a:b", ""])("rejects %j naming the flag", (text) => {
    expect(() => parseBindAddress("--metrics-bind-address", text)).toThrow(
      /^--metrics-bind-address: expected/,
    );
  });

  it("prints an address the way it parses", () => {
    expect(describeBindAddress({ host: "::1", port: 1 })).toBe("[::1]:1");
    expect(describeBindAddress({ host: "", port: 8080 })).toBe(":8080");
  });
});
