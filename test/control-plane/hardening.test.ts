/**
 * The embedded API server against hostile and malformed input, through the
 * real kubectl and raw HTTPS: schema bounds on /scale, RE2 patterns, key and
 * base64 validation, List manifests, future resourceVersions, malformed URLs
 * and bodies; and its data directory private and token stable across restarts.
 */
import { chmodSync, readFileSync, statSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ControlPlane, startControlPlane } from "../../src/control-plane/index.js";
import { fixtures, startTestServer, type TestServer } from "./helpers.js";

let server: TestServer;
let restarted: ControlPlane | undefined;

interface RawResponse {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** One HTTPS request with the server's token and CA; the path is sent exactly as given. */
function raw(
  method: string,
  path: string,
  body?: string,
  contentType = "application/json",
): Promise<RawResponse> {
  const { url, token, caCert } = server.controlPlane;
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        ca: caCert,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": contentType },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(text.split("\n")[0] ?? "") as Record<string, unknown>;
          } catch {}
          resolve({ status: response.statusCode ?? 0, body: parsed, text });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function ok(args: string[], input?: string): Promise<string> {
  const result = await server.kubectl(args, input);
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

const causesOf = (response: RawResponse) =>
  (response.body.details as { causes?: { field?: string; reason?: string }[] } | undefined)?.causes ?? [];

beforeAll(async () => {
  server = await startTestServer();
  await ok(["apply", "-f", join(fixtures, "gadget-crd.yaml")]);
  await ok(["wait", "--for=condition=Established", "crd/gadgets.example.com", "--timeout=10s"]);
  await ok(
    ["apply", "-f", "-"],
    "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {replicas: 1}\n",
  );
});
afterAll(async () => {
  await restarted?.stop();
  await server?.stop();
});

describe("the scale subresource honours the CRD schema", () => {
  it("refuses kubectl scale beyond the schema maximum with 422 naming spec.replicas, and scales within it", async () => {
    const refused = await server.kubectl(["scale", "gadget", "g", "--replicas=100000000"]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain("spec.replicas");
    expect(refused.stderr).toContain("less than or equal to 1000");
    expect(await ok(["scale", "gadget", "g", "--replicas=5"])).toContain("scaled");
    expect(await ok(["get", "gadget", "g", "-o", "jsonpath={.spec.replicas}"])).toBe("5");
  });

  it("answers negative, fractional, huge and non-numeric replicas with 422, never a crash", async () => {
    const path = "/apis/example.com/v1/namespaces/default/gadgets/g/scale";
    for (const replicas of ["-1", "1.5", "1e20", "4294967296", '"3"', "null"]) {
      const response = await raw(
        "PATCH",
        path,
        `{"spec":{"replicas":${replicas}}}`,
        "application/merge-patch+json",
      );
      expect(response.status, replicas).toBe(422);
      expect(causesOf(response)[0]?.field, replicas).toBe("spec.replicas");
    }
    expect((await raw("PATCH", path, "not json", "application/merge-patch+json")).status).toBe(400);
    expect((await raw("PATCH", path, '{"op":"add"}', "application/json-patch+json")).status).toBe(400);
    expect(await ok(["get", "gadget", "g", "-o", "jsonpath={.spec.replicas}"])).toBe("5");
  });
});

describe("validation kubectl users see", () => {
  it("matches CRD patterns in linear time: an adversarial value is refused at once", async () => {
    const started = Date.now();
    const refused = await server.kubectl(
      ["apply", "-f", "-"],
      `apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: slow}\nspec: {code: "${"a".repeat(40)}!"}\n`,
    );
    expect(refused.stderr).toContain("spec.code");
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("refuses a CRD whose pattern is not RE2 syntax, naming the field", async () => {
    const crd = readFileSync(join(fixtures, "gadget-crd.yaml"), "utf8")
      .replaceAll("gadget", "lookahead")
      .replaceAll("Gadget", "Lookahead")
      .replace('pattern: "^(a+)+$"', 'pattern: "^(?!admin).*$"');
    const refused = await server.kubectl(["apply", "-f", "-"], crd);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain("properties[code].pattern");
    expect(refused.stderr).toContain("must be a valid regular expression");
  });

  it("creates the items of a kind: List with validation on, and refuses bad items with their field", async () => {
    const list = [
      "apiVersion: v1",
      "kind: List",
      "items:",
      "- {apiVersion: v1, kind: ConfigMap, metadata: {name: listed}, data: {k: v}}",
      "- {apiVersion: v1, kind: Secret, metadata: {name: listed}, data: {token: aGk=}}",
    ].join("\n");
    const created = await ok(["create", "-f", "-"], list);
    expect(created).toContain("configmap/listed created");
    expect(created).toContain("secret/listed created");
    const bad = list.replaceAll("listed", "listed-2").replace("aGk=", "'not base64!'");
    const refused = await server.kubectl(["create", "-f", "-"], bad);
    expect(refused.stdout).toContain("configmap/listed-2 created");
    expect(refused.stderr).toContain("data[token]");
    expect(refused.stderr).toContain("base64");
  });

  it("refuses bad label and annotation keys, finalizers and data keys", async () => {
    await ok(["create", "configmap", "keys"]);
    const label = await server.kubectl(["label", "configmap", "keys", "Bad.Prefix/x=1"]);
    expect(label.stderr).toContain("metadata.labels: Invalid value");
    const annotation = await server.kubectl(["annotate", "configmap", "keys", "a/b/c=1"]);
    expect(annotation.stderr).toContain("metadata.annotations: Invalid value");
    const finalizer = await server.kubectl([
      "patch",
      "configmap",
      "keys",
      "--type=merge",
      "-p",
      '{"metadata":{"finalizers":["not a finalizer"]}}',
    ]);
    expect(finalizer.stderr).toContain("metadata.finalizers: Invalid value");
    const dataKey = await server.kubectl(
      ["apply", "-f", "-"],
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: badkey}\ndata: {'a/b': v}\n",
    );
    expect(dataKey.stderr).toContain("data[a/b]");
  });

  it("gives Secrets created through protobuf the Opaque type", async () => {
    await ok(["create", "secret", "generic", "proto", "--from-literal=k=v"]);
    expect(await ok(["get", "secret", "proto", "-o", "jsonpath={.type}"])).toBe("Opaque");
  });
});

describe("malformed requests are client errors", () => {
  it("answers a watch from a future resourceVersion with 504 Too large resource version", async () => {
    const path = "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=999999999";
    const response = await raw("GET", path);
    expect(response.status).toBe(504);
    expect(response.body).toMatchObject({ reason: "Timeout", code: 504 });
    expect(causesOf(response)[0]?.reason).toBe("ResourceVersionTooLarge");
    const kubectl = await server.kubectl(["get", "--raw", path]);
    expect(kubectl.stderr).toContain("Too large resource version");
  });

  it("answers a malformed percent-escape and over-deep JSON or YAML with 400, and stays up", async () => {
    expect((await raw("GET", "/api/v1/namespaces/%zz/configmaps")).status).toBe(400);
    for (const depth of [1_500, 10_001, 100_000]) {
      const deep = `{"metadata":{"name":"deep"},"data":${"[".repeat(depth)}${"]".repeat(depth)}}`;
      const response = await raw("POST", "/api/v1/namespaces/default/configmaps", deep);
      expect(response.status, String(depth)).toBe(400);
      expect(response.body.message).toContain("exceeded max depth of 500");
      const yaml = `metadata: {name: deep}\ndata: ${"{a: ".repeat(depth)}1${"}".repeat(depth)}\n`;
      expect(
        (await raw("POST", "/api/v1/namespaces/default/configmaps", yaml, "application/yaml")).status,
      ).toBe(400);
    }
    expect((await raw("GET", "/api/v1/namespaces/default/configmaps")).status).toBe(200);
  });

  it("refuses patches that replace the object or deepen it past the limit with 400", async () => {
    const path = "/apis/example.com/v1/namespaces/default/gadgets/g";
    for (const patch of ["false", "null", "[1]"])
      expect((await raw("PATCH", path, patch, "application/merge-patch+json")).status, patch).toBe(400);
    const deepValue = `${"[".repeat(450)}${"]".repeat(450)}`;
    const add = (where: string) => `[{"op":"add","path":"${where}","value":${deepValue}}]`;
    // Gadget has no field to hold it; a ConfigMap annotation cannot either, so use a JSON patch on a
    // preserve-unknown Event, whose bodies the server keeps as sent.
    const event = "/api/v1/namespaces/default/events";
    expect((await raw("POST", event, '{"metadata":{"name":"deep"},"x":{}}')).status).toBe(201);
    expect((await raw("PATCH", `${event}/deep`, add("/x/a"), "application/json-patch+json")).status).toBe(
      200,
    );
    const deeper = `/x/a${"/0".repeat(449)}/-`;
    expect((await raw("PATCH", `${event}/deep`, add(deeper), "application/json-patch+json")).status).toBe(
      400,
    );
  });
});

describe("the data directory", () => {
  it("is private, and a restart keeps the token so an old kubeconfig still works", async () => {
    const dataDir = join(server.dir, "data");
    const mode = (file: string) => statSync(join(dataDir, file)).mode & 0o777;
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of ["objects.sqlite", "objects.sqlite-wal", "tls.key", "token"])
      expect(mode(file), file).toBe(0o600);

    const { token, url } = server.controlPlane;
    await server.controlPlane.stop();
    chmodSync(server.kubeconfig, 0o644);
    restarted = await startControlPlane({
      dataDir,
      listen: new URL(url).host,
      kubeconfigOut: server.kubeconfig,
    });
    expect(restarted.token).toBe(token);
    expect(statSync(server.kubeconfig).mode & 0o777).toBe(0o600);
    expect(await ok(["get", "secret", "listed", "-o", "jsonpath={.data.token}"])).toBe("aGk=");
  });
});
