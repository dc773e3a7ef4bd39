import { describe, expect, it } from "vitest";
import { formatFieldError } from "../api/field-error.js";
import { parseKubeVersion } from "./kube-version.js";
import { versionedMachine } from "./test-support.js";
import { checkBootstrapVersions, defaultKeyAlgorithm, keyAlgorithmProblem } from "./versions.js";

const messages = (...args: Parameters<typeof checkBootstrapVersions>) =>
  checkBootstrapVersions(...args).map(formatFieldError);

describe("checkBootstrapVersions", () => {
  it("accepts the seed's cluster (1.13.6 everywhere)", () => {
    const machines = [versionedMachine("cp-1", "1.13.6", "1.13.6"), versionedMachine("w-1", "1.13.6")];
    expect(messages(machines)).toEqual([]);
  });

  it("names the Machine and field of a malformed or too old version", () => {
    expect(
      messages([versionedMachine("cp-1", "1.13", "1.12.10"), versionedMachine("w-1", "latest")]),
    ).toEqual([
      'Machine default/cp-1: spec.versions.kubelet: "1.13" is not a Kubernetes version (MAJOR.MINOR.PATCH, e.g. 1.13.6)',
      "Machine default/cp-1: spec.versions.controlPlane: v1.12.10 is too old: clusterform renders kubeadm config for Kubernetes 1.13 and later",
      'Machine default/w-1: spec.versions.kubelet: "latest" is not a Kubernetes version (MAJOR.MINOR.PATCH, e.g. 1.13.6)',
    ]);
  });

  it("requires the kubelet version on every bootstrapped Machine", () => {
    const bare = versionedMachine("w-1", "1.13.6");
    delete bare.spec.versions;
    expect(messages([versionedMachine("cp-1", "1.13.6", "1.13.6"), bare])).toEqual([
      "Machine default/w-1: spec.versions.kubelet: required: a bootstrapped Machine needs the kubelet version it runs",
    ]);
  });

  it("refuses a kubelet newer than the oldest control plane, on workers and control planes alike", () => {
    const machines = [
      versionedMachine("cp-1", "1.14.1", "1.13.6"),
      versionedMachine("w-old", "1.12.0"),
      versionedMachine("w-new", "1.13.7"),
    ];
    expect(messages(machines, { recordedInitMachine: "cp-1" })).toEqual([
      "Machine default/w-old: spec.versions.kubelet: v1.12.0 is too old: clusterform renders kubeadm config for Kubernetes 1.13 and later",
      "Machine default/cp-1: spec.versions.kubelet: kubelet v1.14.1 is newer than the control plane (v1.13.6): a kubelet may not be newer than the API server",
      "Machine default/w-new: spec.versions.kubelet: kubelet v1.13.7 is newer than the control plane (v1.13.6): a kubelet may not be newer than the API server",
    ]);
  });

  it("refuses control planes of different versions at init, but not once the cluster exists", () => {
    const machines = [
      versionedMachine("cp-1", "1.13.6", "1.13.6"),
      versionedMachine("cp-2", "1.13.6", "1.14.0"),
      versionedMachine("cp-3", "1.13.6", "1.13.6"),
    ];
    expect(messages(machines)).toEqual([
      "Machine default/cp-2: spec.versions.controlPlane: v1.14.0 differs from v1.13.6 of the init machine cp-1: all control-plane Machines must have one version when the cluster is created",
    ]);
    expect(messages(machines, { recordedInitMachine: "cp-1" })).toEqual([]);
  });
});

describe("key algorithm by version", () => {
  const v = (text: string) => parseKubeVersion(text) ?? expect.fail(text);

  it("defaults to RSA before 1.26 (kubeadm's sa.key preflight wants RSA) and ECDSA from 1.26", () => {
    expect(defaultKeyAlgorithm(v("1.13.6"))).toBe("rsa-2048");
    expect(defaultKeyAlgorithm(v("1.25.16"))).toBe("rsa-2048");
    expect(defaultKeyAlgorithm(v("1.26.0"))).toBe("ecdsa-p256");
  });

  it("explains why ECDSA cannot be chosen for an older cluster", () => {
    expect(keyAlgorithmProblem("ecdsa-p256", v("1.13.6"))).toMatch(/ECDSA keys need Kubernetes 1\.26/);
    expect(keyAlgorithmProblem("rsa-2048", v("1.13.6"))).toBeUndefined();
    expect(keyAlgorithmProblem("ecdsa-p256", v("1.30.0"))).toBeUndefined();
  });
});
