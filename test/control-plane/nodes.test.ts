/**
 * The embedded control plane playing a workload cluster's API server: kubectl
 * sees Nodes and bootstrap-token Secrets in their normal shapes
 * (docs/workload.md).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

async function ok(args: string[], input?: string): Promise<string> {
  const result = await server.kubectl(args, input);
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

const node = `apiVersion: v1
kind: Node
metadata:
  name: ip-10-0-0-5
  labels: { kubernetes.io/hostname: ip-10-0-0-5 }
spec:
  providerID: aws:////i-0123456789abcdef0
`;

describe("Nodes and bootstrap tokens on the embedded control plane", () => {
  it("creates a cluster-scoped Node, sets its Ready condition through /status and waits for it", async () => {
    await ok(["apply", "-f", "-"], node);
    expect(await ok(["get", "node", "ip-10-0-0-5", "-o", "jsonpath={.spec.providerID}"])).toBe(
      "aws:////i-0123456789abcdef0",
    );
    // A namespace flag does not scope a cluster-scoped kind.
    expect(await ok(["get", "nodes", "-n", "kube-system", "-o", "name"])).toBe("node/ip-10-0-0-5");
    const ready = JSON.stringify({
      status: {
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: "KubeletReady",
            message: "kubelet is posting ready status",
          },
        ],
      },
    });
    await ok(["patch", "node", "ip-10-0-0-5", "--subresource=status", "--type=merge", "-p", ready]);
    await ok(["wait", "--for=condition=Ready", "node/ip-10-0-0-5", "--timeout=20s"]);
    const table = await ok(["get", "nodes"]);
    expect(table.split("\n")[0]).toMatch(/^NAME\s+STATUS\s+PROVIDER ID\s+UNSCHEDULABLE\s+AGE$/);
    expect(table).toMatch(/ip-10-0-0-5\s+True\s+aws:\/\/\/\/i-0123456789abcdef0/);
  });

  it("cordons (spec.unschedulable) and deletes a Node", async () => {
    await ok(["cordon", "ip-10-0-0-5"]);
    expect(await ok(["get", "node", "ip-10-0-0-5", "-o", "jsonpath={.spec.unschedulable}"])).toBe("true");
    // Status written through /status is not lost by a spec update, nor the other way round.
    expect(
      await ok([
        "get",
        "node",
        "ip-10-0-0-5",
        "-o",
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      ]),
    ).toBe("True");
    await ok(["delete", "node", "ip-10-0-0-5", "--wait=true"]);
    const gone = await server.kubectl(["get", "node", "ip-10-0-0-5"]);
    expect(gone.exitCode).not.toBe(0);
    expect(gone.stderr).toContain("NotFound");
  });

  it("stores a kubeadm bootstrap token Secret in kube-system with its type", async () => {
    await ok(["create", "namespace", "kube-system"]);
    await ok([
      "create",
      "secret",
      "generic",
      "bootstrap-token-abcdef",
      "-n",
      "kube-system",
      "--type=bootstrap.kubernetes.io/token",
      "--from-literal=token-id=abcdef",
      "--from-literal=token-secret=0123456789abcdef",
      "--from-literal=usage-bootstrap-authentication=true",
      "--from-literal=usage-bootstrap-signing=true",
      "--from-literal=auth-extra-groups=system:bootstrappers:kubeadm:default-node-token",
      "--from-literal=expiration=2030-01-01T00:00:00Z",
    ]);
    const table = await ok(["get", "secrets", "-n", "kube-system"]);
    expect(table).toMatch(/bootstrap-token-abcdef\s+bootstrap\.kubernetes\.io\/token\s+6/);
    const tokenId = await ok([
      "get",
      "secret",
      "bootstrap-token-abcdef",
      "-n",
      "kube-system",
      "-o",
      "jsonpath={.data.token-id}",
    ]);
    expect(Buffer.from(tokenId, "base64").toString()).toBe("abcdef");
  });
});
