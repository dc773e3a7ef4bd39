import { describe, expect, it } from "vitest";
import { awsCluster } from "../model/test-objects.js";
import type { Cluster } from "./cluster.js";
import { formatFieldError } from "./field-error.js";
import { validateObject } from "./validate.js";

const errorsOf = (object: unknown) => validateObject(object).map(formatFieldError);

const awsWith = (controlPlaneEndpoint: unknown): Cluster => {
  const cluster = awsCluster("c");
  Object.assign(cluster.spec.providerSpec?.value as object, { controlPlaneEndpoint });
  return cluster;
};

const vsphereWith = (controlPlaneEndpoint: unknown): Cluster => ({
  apiVersion: "cluster.k8s.io/v1alpha1",
  kind: "Cluster",
  metadata: { name: "v", namespace: "default" },
  spec: {
    providerSpec: {
      value: {
        apiVersion: "vsphereproviderconfig/v1alpha1",
        kind: "VsphereClusterProviderSpec",
        server: "vcenter.example.com",
        controlPlaneEndpoint,
      },
    },
  },
});

describe("controlPlaneEndpoint (clusterform's extension of the cluster provider specs)", () => {
  it("accepts the AWS endpoint types and refuses others, naming the field", () => {
    expect(errorsOf(awsWith({ type: "LoadBalancer" }))).toEqual([]);
    expect(errorsOf(awsWith({ type: "InitMachine" }))).toEqual([]);
    expect(errorsOf(awsWith({}))).toEqual([]);
    const [error, ...rest] = errorsOf(awsWith({ type: "ElasticIP" }));
    expect(rest).toEqual([]);
    expect(error).toMatch(/^Cluster default\/c: spec\.providerSpec\.value\.controlPlaneEndpoint\.type: /);
  });

  it("accepts a vSphere host name or IPv4 address and refuses anything that is not one", () => {
    expect(errorsOf(vsphereWith({ host: "10.0.0.100" }))).toEqual([]);
    expect(errorsOf(vsphereWith({ host: "api.k8s.example.com" }))).toEqual([]);
    for (const host of ['a"b', "$" + "{x}", "10.0.0.1:6443", "", "-a"]) {
      const [error] = errorsOf(vsphereWith({ host }));
      expect(error, host).toMatch(
        /^Cluster default\/v: spec\.providerSpec\.value\.controlPlaneEndpoint\.host: /,
      );
    }
  });
});
