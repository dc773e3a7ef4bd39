import { describe, expect, it } from "vitest";
import { Reason } from "../../api/reasons.js";
import { clusterRefProblem, clusterRefUpdate } from "./cluster-ref.js";

const now = new Date("2026-01-01T00:00:00Z");
const machine = (labels?: Record<string, string>) => ({
  metadata: { name: "m1", namespace: "team", ...(labels ? { labels } : {}) },
});
const known = (namespace: string, name: string) => namespace === "team" && name === "prod";

describe("clusterRefProblem", () => {
  it("names the Machine, the label path and what to do when the label is missing or empty", () => {
    const cases: (Record<string, string> | undefined)[] = [
      undefined,
      { other: "x" },
      { "cluster.k8s.io/cluster-name": " " },
    ];
    for (const labels of cases) {
      const problem = clusterRefProblem(machine(labels), known);
      expect(problem).toContain("Machine team/m1: metadata.labels[cluster.k8s.io/cluster-name]: required");
      expect(problem).toContain("kubectl label machine m1 cluster.k8s.io/cluster-name=<cluster>");
    }
  });

  it("names the missing Cluster in the Machine's namespace", () => {
    const problem = clusterRefProblem(machine({ "cluster.k8s.io/cluster-name": "staging" }), known);
    expect(problem).toContain("Cluster team/staging not found");
  });

  it("finds nothing wrong with an existing Cluster", () => {
    expect(clusterRefProblem(machine({ "cluster.k8s.io/cluster-name": "prod" }), known)).toBeUndefined();
  });
});

describe("clusterRefUpdate", () => {
  const problem = "Machine team/m1: Cluster team/staging not found";

  it("reports a new verdict once: Ready=False ClusterNotFound and a Warning Event", () => {
    const first = clusterRefUpdate(undefined, problem, "staging", now);
    expect(first?.conditions).toEqual([
      expect.objectContaining({
        type: "Ready",
        status: "False",
        reason: "ClusterNotFound",
        message: problem,
      }),
    ]);
    expect(first?.event).toEqual({
      type: "Warning",
      reason: Reason.ClusterNotFound,
      message: problem,
    });
    // The next pass with the same verdict writes nothing and emits nothing.
    expect(clusterRefUpdate(first?.conditions, problem, "staging", now)).toBeUndefined();
    // A different verdict (the label now names another missing Cluster) is reported again.
    expect(clusterRefUpdate(first?.conditions, `${problem}!`, "other", now)?.event.type).toBe("Warning");
  });

  it("clears the verdict when the Cluster appears, and only its own", () => {
    const reported = clusterRefUpdate(undefined, problem, "staging", now)?.conditions;
    const cleared = clusterRefUpdate(reported, undefined, "team/staging", now);
    expect(cleared?.conditions).toEqual([
      expect.objectContaining({ type: "Ready", status: "Unknown", reason: Reason.ClusterFound }),
    ]);
    expect(cleared?.event.type).toBe("Normal");
    const theirs = [
      {
        type: "Ready",
        status: "True" as const,
        reason: "InstanceRunning",
        lastTransitionTime: now.toISOString(),
      },
    ];
    expect(clusterRefUpdate(theirs, undefined, "prod", now)).toBeUndefined();
  });
});
