import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { builtInObjects, COMPONENTS_FILE, parseComponents, renderComponents } from "./components.js";
import { IMAGE_PATHS, NAMESPACE } from "./layout.js";

const root = join(import.meta.dirname, "..", "..");
const committed = readFileSync(join(root, COMPONENTS_FILE), "utf8");
const objects = parseComponents(committed);
const deployment = objects.find((o) => o.kind === "Deployment") as unknown as {
  spec: { replicas: number; template: { spec: Record<string, never> } };
};
const pod = deployment.spec.template.spec as unknown as {
  securityContext: Record<string, unknown>;
  containers: {
    args: string[];
    securityContext: Record<string, unknown>;
    volumeMounts: { mountPath: string }[];
    livenessProbe: { httpGet: { path: string } };
    readinessProbe: { httpGet: { path: string } };
  }[];
};

describe(COMPONENTS_FILE, () => {
  it("is what the generator writes (run npm run gen:components after changing src/deploy or crds/)", () => {
    expect(committed, `${COMPONENTS_FILE} is stale: run npm run gen:components`).toBe(renderComponents());
  });

  it("holds exactly the CRDs of crds/", () => {
    const crdDir = join(root, "crds");
    const files = readdirSync(crdDir).map((file) => parse(readFileSync(join(crdDir, file), "utf8")));
    const inComponents = objects.filter((o) => o.kind === "CustomResourceDefinition");
    const byName = (list: { metadata: { name: string } }[]) =>
      [...list].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    expect(byName(inComponents)).toEqual(byName(files));
  });

  it("validates every built-in object against the Kubernetes OpenAPI schema", () => {
    for (const object of builtInObjects()) expect(() => object.validate()).not.toThrow();
  });

  it("rejects an object the schema rejects (the validation is real)", () => {
    const [, serviceAccount] = builtInObjects();
    Object.assign(serviceAccount as object, { automountServiceAccountToken: "yes" });
    expect(() => serviceAccount?.validate()).toThrow(/automountServiceAccountToken/);
  });

  it("applies the Namespace first and the CRDs before the controller", () => {
    const kinds = objects.map((o) => o.kind);
    expect(kinds[0]).toBe("Namespace");
    expect(kinds.lastIndexOf("CustomResourceDefinition")).toBeLessThan(kinds.indexOf("Deployment"));
    expect(objects.filter((o) => o.metadata.namespace).every((o) => o.metadata.namespace === NAMESPACE)).toBe(
      true,
    );
  });

  it("runs two leader-elected replicas, non-root, read-only, no escalation, no capabilities", () => {
    expect(deployment.spec.replicas).toBe(2);
    const [container] = pod.containers;
    expect(container?.args).toContain("--leader-elect");
    expect(container?.args).toContain("--default-backend=kubernetes");
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container?.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(container?.volumeMounts.map((m) => m.mountPath).sort()).toEqual(
      [IMAGE_PATHS.stateDir, IMAGE_PATHS.tmp].sort(),
    );
    expect(container?.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container?.readinessProbe.httpGet.path).toBe("/readyz");
  });
});
