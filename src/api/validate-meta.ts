import { isRecord } from "./field-error.js";
import { joinPath, type PathError } from "./field-path.js";
import { checkAnnotations, checkLabels, checkLabelValue, checkQualifiedName } from "./kube-syntax.js";
import { MAX_LABEL_LENGTH } from "./limits.js";
import { CLUSTER_NAME_LABEL } from "./meta.js";

// Label, annotation and selector syntax wherever a kind carries them. Runs on
// untrusted input (before or after the schema): anything that is not the
// expected shape is the schema's to report, and skipped here.

export function checkMetadataSyntax(object: Record<string, unknown>): PathError[] {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const spec = isRecord(object.spec) ? object.spec : {};
  const problems = [
    ...checkLabels(metadata.labels, "metadata.labels"),
    ...checkAnnotations(metadata.annotations, "metadata.annotations"),
  ];
  if (object.kind === "Cluster") problems.push(...checkClusterNameLength(metadata.name));
  if (object.kind === "Machine") problems.push(...checkNodeMetadata(spec.metadata, "spec.metadata"));
  if (object.kind === "MachineSet" || object.kind === "MachineDeployment") {
    const template = isRecord(spec.template) ? spec.template : {};
    const templateMeta = isRecord(template.metadata) ? template.metadata : {};
    const templateSpec = isRecord(template.spec) ? template.spec : {};
    problems.push(
      ...checkLabels(templateMeta.labels, "spec.template.metadata.labels"),
      ...checkAnnotations(templateMeta.annotations, "spec.template.metadata.annotations"),
      ...checkNodeMetadata(templateSpec.metadata, "spec.template.spec.metadata"),
      ...checkSelectorSyntax(spec.selector, "spec.selector"),
    );
  }
  return problems;
}

/** A Cluster's name becomes the value of every Machine's cluster label: 63 characters at most. */
function checkClusterNameLength(name: unknown): PathError[] {
  if (typeof name !== "string" || name.length <= MAX_LABEL_LENGTH) return [];
  return [
    {
      path: "metadata.name",
      message: `must be at most ${MAX_LABEL_LENGTH} characters for a Cluster: it becomes the value of label ${CLUSTER_NAME_LABEL} on its Machines`,
    },
  ];
}

function checkNodeMetadata(metadata: unknown, base: string): PathError[] {
  if (!isRecord(metadata)) return [];
  return [
    ...checkLabels(metadata.labels, joinPath(base, "labels")),
    ...checkAnnotations(metadata.annotations, joinPath(base, "annotations")),
  ];
}

function checkSelectorSyntax(selector: unknown, base: string): PathError[] {
  if (!isRecord(selector)) return [];
  const problems = checkLabels(selector.matchLabels, joinPath(base, "matchLabels"));
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const [index, requirement] of expressions.entries()) {
    if (!isRecord(requirement)) continue;
    const path = joinPath(base, "matchExpressions", index);
    if (typeof requirement.key === "string") {
      const keyProblem = checkQualifiedName(requirement.key);
      if (keyProblem) problems.push({ path: joinPath(path, "key"), message: keyProblem });
    }
    const values = Array.isArray(requirement.values) ? requirement.values : [];
    for (const [valueIndex, value] of values.entries()) {
      const valueProblem = typeof value === "string" ? checkLabelValue(value) : undefined;
      if (valueProblem) problems.push({ path: joinPath(path, "values", valueIndex), message: valueProblem });
    }
  }
  return problems;
}
