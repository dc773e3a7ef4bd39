import type { KubernetesObject } from "@kubernetes/client-node";
import { CLUSTER_NAME_LABEL, type LabelSelector } from "../../api/meta.js";
import { selectorMatches } from "../../api/selector.js";
import { formatKey } from "../runtime/keys.js";

export function labelsOf(object: KubernetesObject): Record<string, string> {
  return object.metadata?.labels ?? {};
}

/** A selector as a predicate on objects (an empty selector matches nothing, as for ReplicaSets). */
export function selectorMatcher(selector: LabelSelector | undefined): (object: KubernetesObject) => boolean {
  const empty =
    !selector || (!Object.keys(selector.matchLabels ?? {}).length && !selector.matchExpressions?.length);
  if (empty) return () => false;
  return (object) => selectorMatches(selector, labelsOf(object));
}

/** True when every label in `wanted` is present with the same value. */
export function hasAllLabels(labels: Record<string, string>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}

/** A KeyMapper from any object carrying the cluster label to its Cluster's key. */
export function mapToCluster(object: KubernetesObject): string[] {
  const name = object.kind === "Cluster" ? object.metadata?.name : labelsOf(object)[CLUSTER_NAME_LABEL];
  return name ? [formatKey({ namespace: object.metadata?.namespace, name })] : [];
}
