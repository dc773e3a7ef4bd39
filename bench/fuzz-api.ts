/**
 * Bounded fuzz run over the embedded API server (not a test): property-based
 * requests (fast-check, fixed seed, time budget) with hostile paths, verbs,
 * query strings, content types and bodies, sent to a server in its own
 * process on 127.0.0.1. Passes when no request gets a 500, none hangs and the
 * server never exits. Prints counts per status and the slowest requests.
 *
 *   node --import tsx bench/fuzz-api.ts [budgetSeconds=60] [seed=1414]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { spawnControlPlane } from "../test/control-plane/fixtures/spawn.js";

const budgetSeconds = Number(process.argv[2] ?? 60);
const seed = Number(process.argv[3] ?? 1414);
const requestTimeoutMs = 10_000;
const token = "fuzz-token";
const repoRoot = join(import.meta.dirname, "..");

interface FuzzRequest {
  method: string;
  path: string;
  contentType: string;
  body?: Buffer;
}

interface Outcome {
  status: number | "hang" | "connection-error";
  ms: number;
  excerpt: string;
}

const segment = fc.oneof(
  fc.constantFrom("api", "apis", "v1", "namespaces", "default", "kube-system", "configmaps", "secrets"),
  fc.constantFrom(
    "events",
    "leases",
    "example.com",
    "gadgets",
    "g",
    "status",
    "scale",
    "finalize",
    "openapi",
  ),
  fc.constantFrom("v2", "v3", "version", "healthz", "apiextensions.k8s.io", "customresourcedefinitions"),
  fc.constantFrom("%zz", "%", "%2F", "..", ".", "%00", "%E0%A4%A", "a%2Fb", "x".repeat(300)),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: "grapheme", maxLength: 8 }),
);

const queryValue = fc.oneof(
  fc.constantFrom(
    "1",
    "0",
    "true",
    "-1",
    "99999999999999999999",
    "1e400",
    "NaN",
    "",
    "%zz",
    "Strict",
    "Warn",
  ),
  fc.constantFrom("a=b", "a in (x,y)", "!a", "a,b=(", "metadata.name=g", "x!=y,,", "(((", "All", "Orphan"),
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 2000 }).map((s) => `${"a".repeat(50)}${s}`),
);
const queryKey = fc.constantFrom(
  "watch",
  "resourceVersion",
  "labelSelector",
  "fieldSelector",
  "limit",
  "continue",
  "timeoutSeconds",
  "fieldValidation",
  "fieldManager",
  "dryRun",
  "force",
  "propagationPolicy",
  "allowWatchBookmarks",
  "includeObject",
);
const query = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 4 })
  .map((pairs) =>
    pairs.length === 0
      ? ""
      : `?${pairs.map(([k, v]) => `${k}=${Math.random() < 0.9 ? encodeURIComponent(v) : v}`).join("&")}`,
  );

const knownPaths = fc.constantFrom(
  "/api/v1/namespaces/default/configmaps",
  "/api/v1/namespaces/default/configmaps/c",
  "/api/v1/namespaces/default/secrets",
  "/api/v1/namespaces/default/secrets/s",
  "/api/v1/namespaces",
  "/api/v1/namespaces/default",
  "/apis/example.com/v1/namespaces/default/gadgets",
  "/apis/example.com/v1/namespaces/default/gadgets/g",
  "/apis/example.com/v1/namespaces/default/gadgets/g/scale",
  "/apis/example.com/v1/namespaces/default/gadgets/g/status",
  "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
  "/apis/coordination.k8s.io/v1/namespaces/default/leases",
  "/openapi/v3/apis/example.com/v1",
  "/api/v1/namespaces/default/events",
  "/api/v1/events",
  "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com",
);
const path = fc
  .tuple(
    fc.oneof(
      { weight: 3, arbitrary: knownPaths },
      { weight: 1, arbitrary: fc.array(segment, { maxLength: 7 }).map((parts) => `/${parts.join("/")}`) },
    ),
    query,
  )
  .map(([p, q]) => `${p}${q}`);

const labels = fc.dictionary(
  fc.oneof(
    fc.string({ maxLength: 70 }),
    fc.constantFrom("a/b/c", "/x", "Example.com/x", "ok", "a".repeat(64)),
  ),
  fc.oneof(fc.string({ maxLength: 70 }), fc.integer(), fc.constant(null)),
  { maxKeys: 4 },
);
const metadata = fc.record(
  {
    name: fc.oneof(
      fc.constantFrom("c", "s", "g", "fuzz", "Bad_Name", "", "a".repeat(300)),
      fc.string({ maxLength: 20 }),
    ),
    namespace: fc.constantFrom("default", "other", ""),
    labels,
    annotations: labels,
    finalizers: fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.constant("example.com/f")), {
      maxLength: 3,
    }),
    resourceVersion: fc.constantFrom("1", "999999999", "abc"),
    generateName: fc.constantFrom("x-", "BAD", ""),
    managedFields: fc.constantFrom(
      undefined,
      [],
      [{ manager: "x", operation: "Apply", fieldsV1: { "k:{bad": {} } }],
    ),
  },
  { requiredKeys: [] },
);
const resourceBody = fc.record(
  {
    apiVersion: fc.constantFrom("v1", "example.com/v1", "apiextensions.k8s.io/v1", "x/y/z", ""),
    kind: fc.constantFrom(
      "ConfigMap",
      "Secret",
      "Gadget",
      "Scale",
      "List",
      "CustomResourceDefinition",
      "Nope",
    ),
    metadata,
    data: fc.dictionary(
      fc.string({ maxLength: 20 }),
      fc.oneof(fc.string({ maxLength: 40 }), fc.base64String(), fc.jsonValue({ maxDepth: 2 })),
      { maxKeys: 4 },
    ),
    spec: fc.oneof(
      fc.record({
        replicas: fc.oneof(fc.integer(), fc.double(), fc.constant(1e20), fc.constant(-1), fc.string()),
      }),
      fc.record({ code: fc.oneof(fc.constant(`${"a".repeat(40)}!`), fc.string({ maxLength: 60 })) }),
      fc.jsonValue({ maxDepth: 4 }),
    ),
    items: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 3 }),
    type: fc.constantFrom("Opaque", "", 5),
  },
  { requiredKeys: [] },
);
const deep = fc
  .integer({ min: 9_990, max: 60_000 })
  .map((depth) => `{"a":${"[".repeat(depth)}${"]".repeat(depth)}}`);

const body = fc.oneof(
  { weight: 6, arbitrary: resourceBody.map((b) => Buffer.from(JSON.stringify(b))) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 6 }).map((v) => Buffer.from(JSON.stringify(v))) },
  { weight: 1, arbitrary: deep.map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)) },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 200 })
      .map((bytes) => Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), Buffer.from(bytes)])),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        "a: &a [1,2]\nb: *a\nc: *nope\n",
        "x: &x [*x]\n",
        `${"- ".repeat(12_000)}x\n`,
        "[{op: add, path: /spec/replicas, value: 3}]",
        '[{"op":"test","path":"/metadata/name","value":"nope"}]',
        '[{"op":"add","path":"/__proto__/x","value":1}]',
        '{"spec":{"replicas":100000000}}',
        "\u00ff\u00fe\u0000",
      )
      .map((s) => Buffer.from(s, "latin1")),
  },
);

const contentType = fc.constantFrom(
  "application/json",
  "application/yaml",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/json-patch+json",
  "application/apply-patch+yaml",
  "application/vnd.kubernetes.protobuf",
  "text/plain",
  "",
  "application/json; charset=utf-8",
);

const anyRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.constantFrom("GET", "GET", "POST", "PUT", "PATCH", "PATCH", "DELETE", "OPTIONS", "HEAD"),
  path,
  contentType,
  body: fc.option(body, { nil: undefined }),
});

/** Writes aimed at real objects with bodies of the right kind, so validation (not routing) is what gets fuzzed. */
const targets = [
  { collection: "/api/v1/namespaces/default/configmaps", name: "c", apiVersion: "v1", kind: "ConfigMap" },
  { collection: "/api/v1/namespaces/default/secrets", name: "s", apiVersion: "v1", kind: "Secret" },
  {
    collection: "/apis/example.com/v1/namespaces/default/gadgets",
    name: "g",
    apiVersion: "example.com/v1",
    kind: "Gadget",
  },
];
const aimedRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.constantFrom(...targets),
    fc.constantFrom("POST", "PUT", "PATCH", "PATCH-scale"),
    resourceBody,
    query,
  )
  .map(([target, verb, object, q]) => {
    const body = Buffer.from(JSON.stringify({ ...object, apiVersion: target.apiVersion, kind: target.kind }));
    if (verb === "POST")
      return { method: "POST", path: `${target.collection}${q}`, contentType: "application/json", body };
    if (verb === "PUT")
      return {
        method: "PUT",
        path: `${target.collection}/${target.name}${q}`,
        contentType: "application/json",
        body,
      };
    const scale = verb === "PATCH-scale" && target.kind === "Gadget" ? "/scale" : "";
    return {
      method: "PATCH",
      path: `${target.collection}/${target.name}${scale}${q}`,
      contentType: "application/merge-patch+json",
      body,
    };
  });

const fuzzRequest = fc.oneof({ weight: 2, arbitrary: anyRequest }, { weight: 1, arbitrary: aimedRequest });

const dir = mkdtempSync(join(tmpdir(), "cf-fuzz-"));
const { child, url } = await spawnControlPlane(join(dir, "data"), token);
let serverExited: number | null | undefined;
child.once("exit", (code) => {
  serverExited = code;
});
const agent = new Agent({
  keepAlive: process.env.FUZZ_KEEPALIVE !== "0",
  maxSockets: 4,
  rejectUnauthorized: false,
});

function send(item: FuzzRequest): Promise<Outcome> {
  const started = performance.now();
  const watching = /[?&]watch=(1|true)/.test(item.path);
  return new Promise((resolve) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (item.contentType) headers["Content-Type"] = item.contentType;
    // Node's client frames a GET/DELETE/OPTIONS body only when told its length.
    if (item.body) headers["Content-Length"] = String(item.body.length);
    const req = request(`${url}${item.path}`, { method: item.method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      const finish = () =>
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - started,
          excerpt: Buffer.concat(chunks).toString("utf8").slice(0, 300),
        });
      if (watching) {
        // A watch streams until its timeout; the status line is the answer.
        res.once("data", (chunk: Buffer) => chunks.push(chunk));
        setTimeout(() => {
          res.destroy();
          finish();
        }, 50);
        return;
      }
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", finish);
      res.on("error", finish);
    });
    req.setTimeout(requestTimeoutMs, () => {
      req.destroy();
      resolve({ status: "hang", ms: performance.now() - started, excerpt: "" });
    });
    req.on("error", (error) =>
      resolve({ status: "connection-error", ms: performance.now() - started, excerpt: error.message }),
    );
    req.end(item.body);
  });
}

async function seedObjects(): Promise<void> {
  const crd = parseYaml(readFileSync(join(repoRoot, "test/control-plane/fixtures/gadget-crd.yaml"), "utf8"));
  const seeds: [string, unknown][] = [
    // A fuzzed DELETE may remove the namespace itself.
    ["/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } }],
    ["/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd],
    [
      "/api/v1/namespaces/default/configmaps",
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { k: "v" } },
    ],
    [
      "/api/v1/namespaces/default/secrets",
      { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { k: "dg==" } },
    ],
  ];
  for (const [seedPath, object] of seeds) {
    await send({
      method: "POST",
      path: seedPath,
      contentType: "application/json",
      body: Buffer.from(JSON.stringify(object)),
    });
  }
  await send({
    method: "POST",
    path: "/apis/example.com/v1/namespaces/default/gadgets",
    contentType: "application/json",
    body: Buffer.from(
      JSON.stringify({
        apiVersion: "example.com/v1",
        kind: "Gadget",
        metadata: { name: "g" },
        spec: { replicas: 1 },
      }),
    ),
  });
}

await seedObjects();
const counts = new Map<string, number>();
const failures: { request: FuzzRequest; outcome: Outcome }[] = [];
const slowest: { request: FuzzRequest; outcome: Outcome }[] = [];
let total = 0;
let previous: FuzzRequest | undefined;

const result = await fc.check(
  fc.asyncProperty(fuzzRequest, async (item) => {
    if (serverExited !== undefined) return false;
    // Fuzzed DELETEs remove the seeded objects; put them back now and then.
    if (total % 100 === 99) await seedObjects();
    const outcome = await send(item);
    total += 1;
    counts.set(String(outcome.status), (counts.get(String(outcome.status)) ?? 0) + 1);
    slowest.push({ request: item, outcome });
    slowest.sort((a, b) => b.outcome.ms - a.outcome.ms);
    slowest.length = Math.min(slowest.length, 5);
    const bad = outcome.status === 500 || outcome.status === "hang" || outcome.status === "connection-error";
    if (bad) {
      failures.push({ request: item, outcome });
      if (process.env.FUZZ_DEBUG)
        console.log("FAIL", describe(item), "AFTER", previous && describe(previous));
    }
    previous = item;
    return true;
  }),
  { seed, numRuns: 1_000_000, interruptAfterTimeLimit: budgetSeconds * 1000, markInterruptAsFailure: false },
);

function describe(r: FuzzRequest): string {
  return `${r.method} ${r.path.slice(0, 120)} [${r.contentType || "no content type"}] body ${r.body?.length ?? 0} B`;
}
console.log(
  `fuzzed the API server for ${budgetSeconds} s with seed ${seed}: ${total} requests (${result.numRuns} runs)`,
);
console.log(
  `statuses: ${[...counts.entries()]
    .sort()
    .map(([s, n]) => `${s}: ${n}`)
    .join(", ")}`,
);
console.log("slowest requests:");
for (const { request: r, outcome } of slowest)
  console.log(`  ${outcome.ms.toFixed(1)} ms  ${outcome.status}  ${describe(r)}`);
console.log(
  `server exited during the run: ${serverExited === undefined ? "no" : `yes (code ${serverExited})`}`,
);
console.log(`500s, hangs and connection errors: ${failures.length}`);
for (const { request: r, outcome } of failures.slice(0, 10))
  console.log(`  ${outcome.status}  ${describe(r)}\n    ${outcome.excerpt}`);

agent.destroy();
child.kill("SIGTERM");
rmSync(dir, { recursive: true, force: true });
process.exitCode = failures.length > 0 || serverExited !== undefined ? 1 : 0;
