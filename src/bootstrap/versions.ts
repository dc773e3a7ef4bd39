import type { FieldError } from "../api/field-error.js";
import { errorAt } from "../api/field-error.js";
import type { Machine } from "../api/machine.js";
import { atLeastMinor, compareKubeVersions, type KubeVersion, parseKubeVersion } from "./kube-version.js";
import { kubeadmApiVersionFor } from "./kubeadm/api-version.js";
import type { KeyAlgorithm } from "./pki.js";
import { chooseInitMachine, isControlPlaneMachine } from "./roles.js";

const KUBELET_PATH = "spec.versions.kubelet";
const CONTROL_PLANE_PATH = "spec.versions.controlPlane";

/**
 * Version rules for bootstrapping a cluster's Machines, as FieldErrors that
 * name the Machine and field: every version must be one clusterform can
 * render kubeadm config for (1.13+), no kubelet may be newer than the
 * oldest control plane (Kubernetes' skew policy), and until the cluster is
 * initialised all control-plane Machines must ask for the same version
 * (kubeadm joins control planes of its own version only).
 */
export function checkBootstrapVersions(
  machines: readonly Machine[],
  options: { recordedInitMachine?: string } = {},
): FieldError[] {
  const errors: FieldError[] = [];
  const controlPlaneVersions: KubeVersion[] = [];
  for (const machine of machines) {
    const versions = machine.spec.versions;
    if (!versions?.kubelet) {
      errors.push(
        errorAt(machine, KUBELET_PATH, "required: a bootstrapped Machine needs the kubelet version it runs"),
      );
      continue;
    }
    checkRenderable(machine, KUBELET_PATH, versions.kubelet, errors);
    if (isControlPlaneMachine(machine) && versions.controlPlane) {
      const controlPlane = checkRenderable(machine, CONTROL_PLANE_PATH, versions.controlPlane, errors);
      if (controlPlane) controlPlaneVersions.push(controlPlane);
    }
  }
  const oldestControlPlane = controlPlaneVersions.sort(compareKubeVersions)[0];
  if (oldestControlPlane) errors.push(...kubeletsNewerThan(machines, oldestControlPlane));
  if (!options.recordedInitMachine) errors.push(...controlPlanesDifferingAtInit(machines));
  return errors;
}

/**
 * The PKI algorithm for a cluster when the user chose none: ECDSA P-256
 * where the cluster's kubeadm accepts ECDSA CA and service-account keys
 * (1.26+; 1.15-1.25 accept ECDSA CAs but fail the sa.key preflight, and
 * 1.13-1.14 want RSA everywhere), RSA-2048 before that.
 */
export function defaultKeyAlgorithm(controlPlaneVersion: KubeVersion): KeyAlgorithm {
  return atLeastMinor(controlPlaneVersion, 1, 26) ? "ecdsa-p256" : "rsa-2048";
}

/** Why `algorithm` cannot be used with this control-plane version, or undefined when it can. */
export function keyAlgorithmProblem(
  algorithm: KeyAlgorithm,
  controlPlaneVersion: KubeVersion,
): string | undefined {
  if (algorithm === "rsa-2048" || atLeastMinor(controlPlaneVersion, 1, 26)) return undefined;
  return `ECDSA keys need Kubernetes 1.26 or later (kubeadm ${controlPlaneVersion.text} only accepts RSA service-account keys); use rsa-2048`;
}

function checkRenderable(
  machine: Machine,
  path: string,
  value: string,
  errors: FieldError[],
): KubeVersion | undefined {
  const version = parseKubeVersion(value);
  if (!version) {
    errors.push(
      errorAt(machine, path, `"${value}" is not a Kubernetes version (MAJOR.MINOR.PATCH, e.g. 1.13.6)`),
    );
    return undefined;
  }
  if (!kubeadmApiVersionFor(version)) {
    errors.push(
      errorAt(
        machine,
        path,
        `${version.text} is too old: clusterform renders kubeadm config for Kubernetes 1.13 and later`,
      ),
    );
    return undefined;
  }
  return version;
}

function kubeletsNewerThan(machines: readonly Machine[], controlPlane: KubeVersion): FieldError[] {
  const errors: FieldError[] = [];
  for (const machine of machines) {
    const kubelet = parseKubeVersion(machine.spec.versions?.kubelet ?? "");
    if (kubelet && compareKubeVersions(kubelet, controlPlane) > 0) {
      errors.push(
        errorAt(
          machine,
          KUBELET_PATH,
          `kubelet ${kubelet.text} is newer than the control plane (${controlPlane.text}): a kubelet may not be newer than the API server`,
        ),
      );
    }
  }
  return errors;
}

function controlPlanesDifferingAtInit(machines: readonly Machine[]): FieldError[] {
  const initName = chooseInitMachine(machines);
  const init = machines.find((machine) => machine.metadata.name === initName);
  const initVersion = parseKubeVersion(init?.spec.versions?.controlPlane ?? "");
  if (!init || !initVersion) return [];
  return machines
    .filter((machine) => machine !== init && isControlPlaneMachine(machine))
    .flatMap((machine) => {
      const version = parseKubeVersion(machine.spec.versions?.controlPlane ?? "");
      if (!version || compareKubeVersions(version, initVersion) === 0) return [];
      return [
        errorAt(
          machine,
          CONTROL_PLANE_PATH,
          `${version.text} differs from ${initVersion.text} of the init machine ${initName}: all control-plane Machines must have one version when the cluster is created`,
        ),
      ];
    });
}
