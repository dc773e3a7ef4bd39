/**
 * Names, paths and sizes of the in-cluster install, in one place: the
 * manifests are generated from them and the e2e test maps the image's paths
 * to local ones by them.
 */
export const NAMESPACE = "clusterform-system";
export const NAME = "clusterform-controller";
export const METRICS_SERVICE = "clusterform-controller-metrics";
export const LABELS = {
  "app.kubernetes.io/name": "clusterform",
  "app.kubernetes.io/component": "controller",
};

/** No image is published: build it from the Containerfile (buildah tags it localhost/<name>). */
export const IMAGE = "localhost/clusterform:0.1.0";
export const USER_ID = 65532;

/** Paths inside the image (Containerfile). */
export const IMAGE_PATHS = {
  /** The built CLI (npm run build), started by node. */
  cli: "/app/dist/src/cli/main.js",
  /** The filesystem mirror holding registry.terraform.io (AWS and vSphere providers). */
  providerMirror: "/opt/terraform/providers",
  /** Working directories: the synthesized stack, .terraform, plan files. Not state (kubernetes backend). */
  stateDir: "/var/lib/clusterform",
  tmp: "/tmp",
} as const;

export const METRICS_PORT = 8080;
export const HEALTH_PORT = 8081;

/**
 * Memory and CPU from the measured Terraform footprint: one plan or apply
 * (terraform + the AWS provider plugin) peaks at ~0.8 GB and keeps a core
 * busy for ~10 s; the Node process with its informers needs ~256 MiB.
 *   memory = 256 MiB + 800 MiB x maxConcurrentRuns (request = limit: the
 *            kernel kills Terraform, not a neighbour, when over)
 *   cpu    = 100m + 500m x maxConcurrentRuns requested, no limit (a
 *            throttled plan only takes longer; Terraform holds locks meanwhile)
 */
export const MAX_CONCURRENT_RUNS = 2;
export function resourcesFor(maxConcurrentRuns: number) {
  const memory = `${256 + 800 * maxConcurrentRuns}Mi`;
  return {
    requests: { cpu: `${100 + 500 * maxConcurrentRuns}m`, memory },
    limits: { memory },
  };
}

/**
 * A SIGTERM lets running Terraform finish (a plan ~10 s, an apply with
 * instances a few minutes) rather than leave a state lock behind.
 */
export const TERMINATION_GRACE_SECONDS = 300;
