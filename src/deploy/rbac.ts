import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import type { IPolicyRule } from "kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { LABELS, NAME, NAMESPACE } from "./layout.js";
import { CONTROLLER_PERMISSIONS } from "./rbac-rules.js";

export function serviceAccount(): ServiceAccount {
  return new ServiceAccount({ metadata: { name: NAME, namespace: NAMESPACE, labels: LABELS } });
}

/** One PolicyRule per group and verb set (resources sharing verbs share a rule), in a stable order. */
export function policyRules(permissions = CONTROLLER_PERMISSIONS): IPolicyRule[] {
  const rules: IPolicyRule[] = [];
  for (const [group, resources] of Object.entries(permissions)) {
    const byVerbs = new Map<string, string[]>();
    for (const [resource, verbs] of Object.entries(resources)) {
      const key = verbs.join(",");
      byVerbs.set(key, [...(byVerbs.get(key) ?? []), resource]);
    }
    for (const [verbs, names] of byVerbs)
      rules.push({ apiGroups: [group], resources: names, verbs: verbs.split(",") });
  }
  return rules;
}

export function clusterRole(): ClusterRole {
  return new ClusterRole({ metadata: { name: NAME, labels: LABELS }, rules: policyRules() });
}

export function clusterRoleBinding(): ClusterRoleBinding {
  return new ClusterRoleBinding({
    metadata: { name: NAME, labels: LABELS },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: NAME },
    subjects: [{ kind: "ServiceAccount", name: NAME, namespace: NAMESPACE }],
  });
}
