import type { TerraformElement } from "cdktf";

/** Gives an element its stable Terraform name (must run before anything references it). */
export function named<T extends TerraformElement>(element: T, logicalId: string): T {
  element.overrideLogicalId(logicalId);
  return element;
}

/** Describes the object a problem belongs to, e.g. "Machine default/w1". */
export function objectRef(kind: string, namespace: string, name: string): string {
  return `${kind} ${namespace}/${name}`;
}
