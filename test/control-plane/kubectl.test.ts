/**
 * The real kubectl binary against a freshly started control plane: the
 * commands users run on clusterform's resources behave as on a real cluster.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures, repoRoot, startTestServer, type TestServer } from "./helpers.js";

let server: TestServer;
const widgetCrd = join(fixtures, "widget-crd.yaml");
const widgets = join(fixtures, "widgets.yaml");

async function ok(args: string[], input?: string): Promise<string> {
  const result = await server.kubectl(args, input);
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("kubectl against the embedded control plane", () => {
  it("rejects a request without the bearer token with 401", async () => {
    const curl = await execa(
      "curl",
      ["-sk", "-o", "/dev/null", "-w", "%{http_code}", `${server.controlPlane.url}/api`],
      { reject: false },
    );
    expect(curl.stdout).toBe("401");
    const withToken = await execa("curl", [
      "-sk",
      "-H",
      `Authorization: Bearer ${server.controlPlane.token}`,
      `${server.controlPlane.url}/version`,
    ]);
    expect(JSON.parse(withToken.stdout)).toMatchObject({ major: "1", minor: "32" });
  });

  it("applies a CRD, which becomes Established and appears in discovery", async () => {
    expect(await ok(["apply", "-f", widgetCrd])).toContain(
      "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created",
    );
    await ok(["wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=10s"]);
    expect(await ok(["api-resources", "--api-group=example.com"])).toMatch(
      /widgets\s+wd\s+example.com\/v1\s+true\s+Widget/,
    );
  });

  it("applies custom resources client-side, reports unchanged on re-apply and configured after an edit", async () => {
    expect(await ok(["apply", "-f", widgets])).toContain("widget.example.com/alpha created");
    expect(await ok(["apply", "-f", widgets])).toContain("widget.example.com/alpha unchanged");
    const edited = readFileSync(widgets, "utf8").replace("color: blue", "color: red");
    expect(await ok(["apply", "-f", "-"], edited)).toContain("widget.example.com/alpha configured");
    expect(
      await ok([
        "get",
        "wd",
        "alpha",
        "-o",
        "jsonpath={.spec.color} {.spec.replicas} {.metadata.generation}",
      ]),
    ).toBe("red 1 2");
  });

  it("prints tables from printer columns, wide columns only with -o wide", async () => {
    const table = await ok(["get", "widgets"]);
    expect(table.split("\n")[0]).toMatch(/^NAME\s+SIZE\s+REPLICAS\s+READY\s+AGE$/);
    expect(table).toMatch(/beta\s+large\s+3\s+\d+s/);
    expect((await ok(["get", "wd", "-o", "wide"])).split("\n")[0]).toContain("COLOR");
    expect(await ok(["get", "wd", "-A"])).toMatch(/^NAMESPACE\s+NAME/);
    const selected = await ok(["get", "wd", "-l", "tier=front", "-o", "name"]);
    expect(selected.trim()).toBe("widget.example.com/alpha");
    expect(await ok(["get", "wd", "alpha", "-o", "yaml"])).toContain("size: small");
  });

  it("rejects unknown fields under kubectl's default strict validation and invalid values with 422 field paths", async () => {
    const unknown = readFileSync(widgets, "utf8").replace("color: blue", "colour: blue");
    const strict = await server.kubectl(["apply", "-f", "-"], unknown);
    expect(strict.exitCode).not.toBe(0);
    expect(strict.stderr).toContain('unknown field "spec.colour"');
    const invalid = await server.kubectl([
      "patch",
      "wd",
      "alpha",
      "--type",
      "merge",
      "-p",
      '{"spec":{"size":"huge"}}',
    ]);
    expect(invalid.stderr).toContain("spec.size: Unsupported value");
  });

  it("applies server-side, detects conflicts with other managers and forces them", async () => {
    // The client-side edit above set color red; applying the same values server-side co-owns them
    // (a different value would conflict with kubectl-client-side-apply, as on a real cluster).
    const current = readFileSync(widgets, "utf8").replace("color: blue", "color: red");
    expect(await ok(["apply", "--server-side", "-f", "-"], current)).toContain("serverside-applied");
    const changed = current.replace("replicas: 3", "replicas: 4");
    expect(await ok(["apply", "--server-side", "-f", "-"], changed)).toContain(
      "widget.example.com/beta serverside-applied",
    );
    await ok([
      "patch",
      "wd",
      "beta",
      "--type",
      "merge",
      "-p",
      '{"spec":{"replicas":6}}',
      "--field-manager",
      "someone",
    ]);
    const conflict = await server.kubectl(["apply", "--server-side", "-f", "-"], changed);
    expect(conflict.stderr).toContain('conflict with "someone"');
    await ok(["apply", "--server-side", "--force-conflicts", "-f", "-"], changed);
    expect(await ok(["get", "wd", "beta", "-o", "jsonpath={.spec.replicas}"])).toBe("4");
  });

  it("describes an object with its Events", async () => {
    const uid = await ok(["get", "wd", "alpha", "-o", "jsonpath={.metadata.uid}"]);
    const event = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "alpha.provisioned", namespace: "default" },
      involvedObject: {
        apiVersion: "example.com/v1",
        kind: "Widget",
        name: "alpha",
        namespace: "default",
        uid,
      },
      reason: "Provisioned",
      message: "the widget is provisioned",
      type: "Normal",
      source: { component: "test" },
      firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      count: 1,
    };
    await ok(["apply", "-f", "-"], JSON.stringify(event));
    expect(await ok(["describe", "wd", "alpha"])).toMatch(
      /Events:[\s\S]*Normal\s+Provisioned[\s\S]*the widget is provisioned/,
    );
  });

  it("waits for a condition set through the status subresource", async () => {
    const waiting = server.kubectl(["wait", "--for=condition=Ready", "wd/alpha", "--timeout=20s"]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await ok([
      "patch",
      "wd",
      "alpha",
      "--subresource=status",
      "--type",
      "merge",
      "-p",
      '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}',
    ]);
    expect((await waiting).stdout).toContain("condition met");
    expect(await ok(["get", "wd", "alpha"])).toMatch(/alpha\s+small\s+1\s+True/);
  });

  it("scales through the scale subresource", async () => {
    expect(await ok(["scale", "wd", "beta", "--replicas=7"])).toContain("scaled");
    expect(await ok(["get", "wd", "beta", "-o", "jsonpath={.spec.replicas}"])).toBe("7");
  });

  it("patches with merge and JSON patch (test included); strategic merge on a custom resource is 415", async () => {
    await ok(["patch", "wd", "alpha", "--type", "merge", "-p", '{"spec":{"size":"medium"}}']);
    await ok([
      "patch",
      "wd",
      "alpha",
      "--type",
      "json",
      "-p",
      '[{"op":"test","path":"/spec/size","value":"medium"},{"op":"replace","path":"/spec/size","value":"large"}]',
    ]);
    expect(await ok(["get", "wd", "alpha", "-o", "jsonpath={.spec.size}"])).toBe("large");
    const failedTest = await server.kubectl([
      "patch",
      "wd",
      "alpha",
      "--type",
      "json",
      "-p",
      '[{"op":"test","path":"/spec/size","value":"small"}]',
    ]);
    expect(failedTest.exitCode).not.toBe(0);
    const strategic = await server.kubectl(["patch", "wd", "alpha", "-p", '{"spec":{"size":"small"}}']);
    expect(strategic.stderr).toContain("application/strategic-merge-patch+json is not supported");
  });

  it("labels and annotates", async () => {
    await ok(["label", "wd", "alpha", "env=prod"]);
    await ok(["annotate", "wd", "alpha", "note=hello"]);
    expect(
      await ok(["get", "wd", "-l", "env=prod", "-o", "jsonpath={.items[*].metadata.annotations.note}"]),
    ).toBe("hello");
  });

  it("applies built-in kinds client-side with strategic merge and removes dropped keys", async () => {
    const configMap = (data: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n${data}`;
    await ok(["apply", "-f", "-"], configMap('  one: "1"\n  two: "2"\n'));
    await ok(["apply", "-f", "-"], configMap('  one: "1"\n  three: "3"\n'));
    expect(await ok(["get", "cm", "settings", "-o", "jsonpath={.data}"])).toBe('{"one":"1","three":"3"}');
  });

  it("refuses data changes to an immutable ConfigMap but allows metadata changes", async () => {
    await ok(
      ["apply", "-f", "-"],
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frozen\nimmutable: true\ndata:\n  a: "1"\n',
    );
    const changed = await server.kubectl([
      "patch",
      "cm",
      "frozen",
      "--type",
      "merge",
      "-p",
      '{"data":{"a":"2"}}',
    ]);
    expect(changed.stderr).toContain("data: Forbidden: field is immutable when `immutable` is set");
    await ok(["label", "cm", "frozen", "team=a"]);
  });

  it("streams changes to kubectl get -w", async () => {
    const watching = server.kubectl(["get", "wd", "-w", "--request-timeout=4s"]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await ok(["scale", "wd", "beta", "--replicas=9"]);
    const { stdout } = await watching;
    expect(stdout).toMatch(/beta\s+large\s+7[\s\S]*beta\s+large\s+9/);
  });

  it("keeps an object with finalizers until they are removed, and deletes one without at once", async () => {
    await ok([
      "patch",
      "wd",
      "alpha",
      "--type",
      "merge",
      "-p",
      '{"metadata":{"finalizers":["example.com/hold"]}}',
    ]);
    await ok(["delete", "wd", "alpha", "--wait=false"]);
    expect(await ok(["get", "wd", "alpha", "-o", "jsonpath={.metadata.deletionTimestamp}"])).not.toBe("");
    const added = await server.kubectl([
      "patch",
      "wd",
      "alpha",
      "--type",
      "merge",
      "-p",
      '{"metadata":{"finalizers":["example.com/hold","example.com/more"]}}',
    ]);
    expect(added.stderr).toContain("no new finalizers can be added if the object is being deleted");
    await ok([
      "patch",
      "wd",
      "alpha",
      "--type",
      "json",
      "-p",
      '[{"op":"remove","path":"/metadata/finalizers"}]',
    ]);
    expect((await server.kubectl(["get", "wd", "alpha"])).stderr).toContain(
      'widgets.example.com "alpha" not found',
    );
    expect(await ok(["delete", "wd", "beta"])).toContain('widget.example.com "beta" deleted');
  });

  it("explains a custom resource from its schema", async () => {
    expect(await ok(["explain", "widget.spec"])).toMatch(/size\s+<string> -required-/);
  });

  it("applies the project's CRDs and fixtures client-side and server-side", async () => {
    const crds = join(repoRoot, "crds");
    const manifests = join(repoRoot, "fixtures", "aws");
    await ok(["apply", "-f", crds]);
    await ok(["wait", "--for=condition=Established", "crd", "--all", "--timeout=10s"]);
    expect(await ok(["apply", "-f", manifests])).toContain("created");
    expect(await ok(["apply", "-f", manifests])).not.toContain("configured");
    expect(await ok(["apply", "--server-side", "-f", manifests])).toContain("serverside-applied");
    expect(await ok(["get", "cluster-api", "-o", "name"])).toContain("cluster.cluster.k8s.io/");
    // The Machine printer column reads a label whose key has escaped dots in its JSONPath.
    expect(await ok(["get", "ma", "workload-cluster-1-controlplane-1", "--no-headers"])).toMatch(
      /^workload-cluster-1-controlplane-1\s+workload-cluster-1\s/,
    );
    const deployment = (await ok(["get", "md", "-o", "name"])).split("\n")[0] as string;
    await ok(["scale", deployment, "--replicas=3"]);
    expect(await ok(["get", deployment, "-o", "jsonpath={.spec.replicas}"])).toBe("3");
    // The CRD's maximum on spec.replicas holds through the scale subresource too.
    const tooMany = await server.kubectl(["scale", deployment, "--replicas=100000000"]);
    expect(tooMany.stderr).toMatch(/spec\.replicas: Invalid value: 100000000: .*less than or equal to/);
    expect(await ok(["get", deployment, "-o", "jsonpath={.spec.replicas}"])).toBe("3");
  });

  it("creates built-in objects from kubectl's protobuf-encoded typed commands", async () => {
    await ok(["create", "namespace", "team"]);
    await ok(["-n", "team", "create", "configmap", "cfg", "--from-literal=a=1"]);
    await ok(["-n", "team", "create", "secret", "generic", "creds", "--from-literal=password=hunter2"]);
    expect(await ok(["-n", "team", "get", "cm", "cfg", "-o", "jsonpath={.data.a}"])).toBe("1");
    const password = await ok(["-n", "team", "get", "secret", "creds", "-o", "jsonpath={.data.password}"]);
    expect(Buffer.from(password, "base64").toString()).toBe("hunter2");
  });

  it("deletes a namespace with its contents and a CRD with its objects", async () => {
    await ok(["apply", "-n", "team", "-f", widgets]);
    await ok(["delete", "namespace", "team", "--timeout=20s"]);
    expect((await server.kubectl(["get", "ns", "team"])).stderr).toContain("not found");
    await ok(["apply", "-f", widgets]);
    await ok(["delete", "crd", "widgets.example.com", "--timeout=20s"]);
    expect((await server.kubectl(["get", "crd", "widgets.example.com"])).stderr).toContain("not found");
    await ok(["apply", "-f", widgetCrd]);
    await ok(["wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=10s"]);
    expect((await ok(["get", "wd", "-A", "-o", "name"])).trim()).toBe("");
  });
});
