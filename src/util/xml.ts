/**
 * Just enough XML for EC2 Query API answers: elements, text and entities.
 * Attributes, comments and CDATA are not needed there and are skipped.
 */

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const TOKEN = /<\?[^>]*\?>|<!--[\s\S]*?-->|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[^>]*?)?)(\/?)>|([^<]+)/g;

export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: "#document", children: [], text: "" };
  const stack: XmlElement[] = [root];
  for (const match of xml.matchAll(TOKEN)) {
    const [, closing, opening, , selfClosing, text] = match;
    const top = stack[stack.length - 1] as XmlElement;
    if (opening) {
      const element: XmlElement = { name: opening, children: [], text: "" };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    } else if (closing) {
      if (stack.length > 1) stack.pop();
    } else if (text !== undefined) {
      top.text += decodeEntities(text);
    }
  }
  return root;
}

/** The first child element with this name. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** Text of the element at a path of child names, untrimmed ("" when absent). */
export function textAt(element: XmlElement | undefined, ...path: string[]): string {
  let current = element;
  for (const name of path) current = child(current, name);
  return current?.text ?? "";
}

/** The `<item>` children of a `...Set` element. */
export function items(element: XmlElement | undefined, setName: string): XmlElement[] {
  return child(element, setName)?.children.filter((c) => c.name === "item") ?? [];
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (entity.startsWith("#x") || entity.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
    return named[entity.toLowerCase()] ?? `&${entity};`;
  });
}
