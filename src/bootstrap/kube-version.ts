/**
 * Kubernetes release versions as Cluster API v1alpha1 writes them
 * (`1.13.6`; a leading `v` is tolerated). Pre-release and build suffixes are
 * kept for display but do not take part in comparisons: skew rules are about
 * minor releases and patch levels.
 */
export interface KubeVersion {
  major: number;
  minor: number;
  patch: number;
  /** As kubeadm and `kubelet --version` print it: `v1.13.6`. */
  text: string;
}

const VERSION_PATTERN = /^v?(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})(-[0-9A-Za-z.-]{1,64})?$/;

/** The parsed version, or undefined when `value` is not `MAJOR.MINOR.PATCH`. */
export function parseKubeVersion(value: string): KubeVersion | undefined {
  const match = VERSION_PATTERN.exec(value);
  if (!match) return undefined;
  const [, major, minor, patch, suffix] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    text: `v${major}.${minor}.${patch}${suffix ?? ""}`,
  };
}

/** Negative when a < b, zero when equal (ignoring suffixes), positive when a > b. */
export function compareKubeVersions(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** True when `version` is at least `major.minor` (any patch). */
export function atLeastMinor(version: KubeVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}
