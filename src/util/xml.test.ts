import { describe, expect, it } from "vitest";
import { items, parseXml, textAt } from "./xml.js";

describe("parseXml", () => {
  it("reads nested item sets, self-closing elements and entities", () => {
    const root = parseXml(
      '<?xml version="1.0"?><R xmlns="x"><tagSet><item><key>a&amp;b</key><value> &lt;%{x}&gt; </value></item>' +
        "<item><key>empty</key><value/></item></tagSet><reason/><n>&#x41;&#66;</n></R>",
    ).children[0];
    const tags = items(root, "tagSet").map((tag) => [textAt(tag, "key"), textAt(tag, "value")]);
    expect(tags).toEqual([
      ["a&b", " <%{x}> "],
      ["empty", ""],
    ]);
    expect(textAt(root, "n")).toBe("AB");
    expect(textAt(root, "missing", "deeper")).toBe("");
  });
});
