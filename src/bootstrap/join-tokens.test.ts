import { describe, expect, it } from "vitest";
import {
  type JoinTokenRecord,
  joinTokenSecret,
  planJoinTokenUpkeep,
  readJoinTokenSecret,
} from "./join-tokens.js";
import { generateBootstrapToken } from "./token.js";

const now = new Date("2026-12-01T10:00:00.123Z");
const HOUR = 3600_000;
const owner = { clusterUid: "uid-c", machine: { namespace: "ns", name: "w-2", uid: "uid-w-2" } };

/** A listed Secret as the API server returns it (stringData folded into base64 data). */
function listed(secret: ReturnType<typeof joinTokenSecret>) {
  const data = Object.fromEntries(
    Object.entries(secret.stringData).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
  );
  return { metadata: secret.metadata, type: secret.type, data };
}

const record = (uid: string, expiresInMs: number, id = "abcdef"): JoinTokenRecord => ({
  name: `bootstrap-token-${id}`,
  id,
  machineUid: uid,
  token: `${id}.0123456789abcdef`,
  expires: new Date(now.getTime() + expiresInMs),
});

describe("join token Secrets", () => {
  it("are kubeadm's bootstrap-token Secrets, tied to the Machine by uid, and read back", () => {
    const token = generateBootstrapToken({ ttlSeconds: 7200, now });
    const secret = joinTokenSecret(token, owner);
    expect(secret.metadata).toMatchObject({ name: `bootstrap-token-${token.id}`, namespace: "kube-system" });
    expect(secret.type).toBe("bootstrap.kubernetes.io/token");
    expect(secret.stringData).toEqual({
      description: expect.stringContaining("Machine ns/w-2"),
      "token-id": token.id,
      "token-secret": token.secret,
      expiration: "2026-12-01T12:00:00Z",
      "usage-bootstrap-authentication": "true",
      "usage-bootstrap-signing": "true",
      "auth-extra-groups": "system:bootstrappers:kubeadm:default-node-token",
    });
    expect(readJoinTokenSecret(listed(secret))).toEqual({
      name: `bootstrap-token-${token.id}`,
      id: token.id,
      machineUid: "uid-w-2",
      token: token.token,
      expires: new Date("2026-12-01T12:00:00Z"),
    });
  });

  it("ignores Secrets that are not ours or are malformed", () => {
    const secret = listed(joinTokenSecret(generateBootstrapToken({ now }), owner));
    expect(readJoinTokenSecret({ ...secret, type: "Opaque" })).toBeUndefined();
    expect(readJoinTokenSecret({ ...secret, metadata: { name: secret.metadata.name } })).toBeUndefined();
    expect(readJoinTokenSecret({ ...secret, data: { ...secret.data, expiration: "" } })).toBeUndefined();
    expect(
      readJoinTokenSecret({ ...secret, metadata: { ...secret.metadata, name: "bootstrap-token-other0" } }),
    ).toBeUndefined();
  });
});

describe("planJoinTokenUpkeep", () => {
  const waitingFor =
    (...uids: string[]) =>
    (uid: string) =>
      uids.includes(uid);

  it("keeps a waiting Machine's token, extending it once less than half its life is left", () => {
    const fresh = planJoinTokenUpkeep([record("a", 1.5 * HOUR)], waitingFor("a"), now, 7200);
    expect(fresh.extend).toEqual([]);
    expect(fresh.remove).toEqual([]);
    expect(fresh.nextCheckMs).toBe(0.5 * HOUR);
    const old = planJoinTokenUpkeep([record("a", 0.5 * HOUR)], waitingFor("a"), now, 7200);
    expect(old.extend.map((e) => e.expires)).toEqual([new Date(now.getTime() + 2 * HOUR)]);
    expect(old.live.get("a")?.expires).toEqual(new Date(now.getTime() + 2 * HOUR));
    expect(old.nextCheckMs).toBe(HOUR);
  });

  it("removes the tokens of Machines with a Node, being deleted or gone, and extra tokens of one Machine", () => {
    const upkeep = planJoinTokenUpkeep(
      [record("joined", HOUR, "aaaaaa"), record("b", HOUR, "bbbbbb"), record("b", 1.9 * HOUR, "cccccc")],
      waitingFor("b"),
      now,
      7200,
    );
    expect(upkeep.remove.map((r) => r.id).sort()).toEqual(["aaaaaa", "bbbbbb"]);
    expect(upkeep.live.get("b")?.id).toBe("cccccc");
    expect(upkeep.live.has("joined")).toBe(false);
  });

  it("asks for no recheck when no token is live", () => {
    expect(planJoinTokenUpkeep([record("x", HOUR)], waitingFor(), now).nextCheckMs).toBeUndefined();
  });
});
