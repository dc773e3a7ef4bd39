import { describe, expect, it } from "vitest";
import { exampleAwsModel, exampleVsphereModel } from "./example-models.js";
import { synthesizeStack } from "./synthesize.js";
import { releasingTokens, tokenMap } from "./token-map.js";

describe("cdktf's token map after synthesis", () => {
  it("is where cdktf 0.21 keeps it (a cdktf upgrade that moves it fails here, not as a slow leak)", () => {
    synthesizeStack(exampleAwsModel());
    expect(tokenMap()).toBeDefined();
  });

  it("does not grow with each synthesis, and the same model still gives the same bytes", () => {
    const first = synthesizeStack(exampleAwsModel()).json;
    expect(first).not.toMatch(/[$#&]\{TfToken\[/); // nothing left that needs the map later
    synthesizeStack(exampleVsphereModel());
    const size = () => (tokenMap()?.stringTokenMap.size ?? -1) + (tokenMap()?.numberTokenMap.size ?? -1);
    const settled = size();
    for (let i = 0; i < 5; i++) {
      expect(synthesizeStack(exampleAwsModel()).json).toBe(first);
      synthesizeStack(exampleVsphereModel());
    }
    expect(size()).toBe(settled);
  });

  it("keeps what was there before and drops what the synthesis added, even when it throws", () => {
    const map = tokenMap();
    if (!map) throw new Error("no token map");
    map.stringTokenMap.set("clusterform-test-kept", {});
    expect(() =>
      releasingTokens(() => {
        map.stringTokenMap.set("clusterform-test-added", {});
        throw new Error("synthesis failed");
      }),
    ).toThrow("synthesis failed");
    expect(map.stringTokenMap.has("clusterform-test-kept")).toBe(true);
    expect(map.stringTokenMap.has("clusterform-test-added")).toBe(false);
    map.stringTokenMap.delete("clusterform-test-kept");
  });
});
