import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Service } from "kubernetes-models/v1/Service";
import {
  HEALTH_PORT,
  IMAGE,
  IMAGE_PATHS,
  LABELS,
  MAX_CONCURRENT_RUNS,
  METRICS_PORT,
  METRICS_SERVICE,
  NAME,
  NAMESPACE,
  resourcesFor,
  TERMINATION_GRACE_SECONDS,
  USER_ID,
} from "./layout.js";

/**
 * `clusterform run` in the cluster. Two replicas with leader election: the
 * standby holds no watches and takes over when the leader's Lease lapses.
 * State lives in Secrets (kubernetes backend, KUBE_IN_CLUSTER_CONFIG), so the
 * emptyDir working directories can be lost with the pod.
 */
export function controllerDeployment(): Deployment {
  return new Deployment({
    metadata: { name: NAME, namespace: NAMESPACE, labels: LABELS },
    spec: {
      replicas: 2,
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: {
          serviceAccountName: NAME,
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: USER_ID,
            runAsGroup: USER_ID,
            fsGroup: USER_ID,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: "controller",
              image: IMAGE,
              command: ["node", IMAGE_PATHS.cli],
              args: controllerArgs(),
              env: [
                // Terraform's kubernetes backend reads the pod's service account.
                { name: "KUBE_IN_CLUSTER_CONFIG", value: "true" },
                // The root filesystem is read-only: Terraform's ~/.terraform.d goes to /tmp.
                { name: "HOME", value: IMAGE_PATHS.tmp },
                { name: "CHECKPOINT_DISABLE", value: "1" },
                { name: "TF_IN_AUTOMATION", value: "1" },
              ],
              ports: [
                { name: "metrics", containerPort: METRICS_PORT, protocol: "TCP" },
                { name: "health", containerPort: HEALTH_PORT, protocol: "TCP" },
              ],
              livenessProbe: {
                httpGet: { path: "/healthz", port: "health" },
                initialDelaySeconds: 10,
                periodSeconds: 20,
              },
              readinessProbe: {
                httpGet: { path: "/readyz", port: "health" },
                initialDelaySeconds: 5,
                periodSeconds: 10,
              },
              resources: resourcesFor(MAX_CONCURRENT_RUNS),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ["ALL"] },
              },
              // The only writable paths: Terraform's working directories and temp files.
              volumeMounts: [
                { name: "work", mountPath: IMAGE_PATHS.stateDir },
                { name: "tmp", mountPath: IMAGE_PATHS.tmp },
              ],
            },
          ],
          volumes: [
            { name: "work", emptyDir: {} },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
    },
  });
}

function controllerArgs(): string[] {
  return [
    "run",
    "--leader-elect",
    `--leader-election-namespace=${NAMESPACE}`,
    "--default-backend=kubernetes",
    `--state-dir=${IMAGE_PATHS.stateDir}`,
    `--provider-mirror=${IMAGE_PATHS.providerMirror}`,
    `--max-concurrent-runs=${MAX_CONCURRENT_RUNS}`,
    `--metrics-bind-address=:${METRICS_PORT}`,
    `--health-probe-bind-address=:${HEALTH_PORT}`,
    "--log-format=json",
  ];
}

/** Prometheus scrapes the leader and the standby here (port name "metrics"). */
export function metricsService(): Service {
  return new Service({
    metadata: { name: METRICS_SERVICE, namespace: NAMESPACE, labels: LABELS },
    spec: {
      selector: LABELS,
      ports: [{ name: "metrics", port: METRICS_PORT, targetPort: "metrics", protocol: "TCP" }],
    },
  });
}
