import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { API_APPROVED_ANNOTATION, crdFiles, crdManifests } from "./crds.js";
import { checkStructural } from "./structural.js";

const crdDir = join(import.meta.dirname, "..", "..", "crds");

describe("crds/", () => {
  it("matches the CRDs generated from src/api (run npm run gen:crds after changing a schema)", () => {
    const committed = readdirSync(crdDir)
      .filter((name) => name.endsWith(".yaml"))
      .sort();
    const generated = crdFiles();
    expect(committed, "run npm run gen:crds").toEqual(generated.map((file) => file.fileName).sort());
    for (const { fileName, text } of generated) {
      expect(readFileSync(join(crdDir, fileName), "utf8"), `${fileName} is stale: run npm run gen:crds`).toBe(
        text,
      );
    }
  });

  it("parses back to the objects crdManifests returns", () => {
    const parsed = crdFiles().map((file) => parse(file.text));
    expect(parsed).toEqual(crdManifests());
  });
});

describe("crdManifests", () => {
  const crds = Object.fromEntries(crdManifests().map((crd) => [crd.spec.names.kind, crd]));
  const version = (kind: string) => crds[kind]?.spec.versions[0];

  it("has structural schemas", () => {
    for (const crd of Object.values(crds)) {
      expect(checkStructural(crd.spec.versions[0]?.schema.openAPIV3Schema ?? {}), crd.metadata.name).toEqual(
        [],
      );
    }
  });

  it("names the five kinds with their short names, the cluster-api category and the approval annotation", () => {
    expect(Object.values(crds).map((crd) => [crd.metadata.name, crd.spec.names.shortNames])).toEqual([
      ["clusters.cluster.k8s.io", ["cl"]],
      ["machines.cluster.k8s.io", ["ma"]],
      ["machinesets.cluster.k8s.io", ["ms"]],
      ["machinedeployments.cluster.k8s.io", ["md"]],
      ["machineclasses.cluster.k8s.io", ["mc"]],
    ]);
    for (const crd of Object.values(crds)) {
      expect(crd.spec.names.categories).toEqual(["cluster-api"]);
      expect(crd.metadata.annotations[API_APPROVED_ANNOTATION]).toMatch(/^unapproved, /);
    }
  });

  it("gives every kind but MachineClass a status subresource, and the sets a scale subresource", () => {
    expect(version("Cluster")?.subresources).toEqual({ status: {} });
    expect(version("Machine")?.subresources).toEqual({ status: {} });
    expect(version("MachineClass")?.subresources).toBeUndefined();
    for (const kind of ["MachineSet", "MachineDeployment"]) {
      expect(version(kind)?.subresources?.scale).toEqual({
        specReplicasPath: ".spec.replicas",
        statusReplicasPath: ".status.replicas",
        labelSelectorPath: ".status.selector",
      });
    }
  });

  it("prints the columns kubectl get shows", () => {
    const columns = (kind: string) => version(kind)?.additionalPrinterColumns.map((column) => column.name);
    expect(columns("Cluster")).toEqual(["Phase", "Endpoint", "Plan", "Age"]);
    expect(columns("Machine")).toEqual(["Cluster", "ProviderID", "Phase", "Address", "Age"]);
    expect(columns("MachineSet")).toEqual(["Replicas", "Ready", "Available", "Age"]);
    expect(columns("MachineDeployment")).toEqual(["Replicas", "Ready", "Available", "Age"]);
    expect(columns("MachineClass")).toEqual(["Provider kind", "Age"]);
  });

  it("keeps metadata to the server and the provider spec value unpruned", () => {
    const schema = version("Machine")?.schema.openAPIV3Schema as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    expect(schema.properties?.metadata).toEqual({ type: "object" });
    const value = JSON.stringify(schema.properties?.spec);
    expect(value).toContain('"value":{"type":"object","x-kubernetes-preserve-unknown-fields":true');
  });
});

describe("checkStructural", () => {
  it("finds each kind of violation", () => {
    const problems = checkStructural({
      type: "object",
      properties: {
        metadata: { type: "object", properties: { name: { type: "string" } } },
        untyped: { description: "no type" },
        both: {
          type: "object",
          properties: { a: { type: "string" } },
          additionalProperties: { type: "string" },
        },
        closed: { type: "object", additionalProperties: false },
        pattern: { type: "object", patternProperties: { ".*": { type: "string" } } },
        literal: { type: "string", const: "x" },
        typedBranch: { type: "string", anyOf: [{ type: "string", pattern: "a" }] },
        badEnum: { type: "integer", enum: ["one"] },
        list: { type: "array" },
        intOrString: { "x-kubernetes-int-or-string": true, type: "string" },
      },
    });
    expect(problems.map((problem) => problem.split(": ")[0])).toEqual([
      "openAPIV3Schema.properties.metadata",
      "openAPIV3Schema.properties.untyped",
      "openAPIV3Schema.properties.both",
      "openAPIV3Schema.properties.closed",
      "openAPIV3Schema.properties.pattern",
      "openAPIV3Schema.properties.literal",
      "openAPIV3Schema.properties.typedBranch.anyOf[0]",
      "openAPIV3Schema.properties.badEnum",
      "openAPIV3Schema.properties.list",
      "openAPIV3Schema.properties.intOrString",
    ]);
  });
});
