import { Fn, TerraformLocal, TerraformVariable, Token } from "cdktf";
import type { Construct } from "constructs";
import { CONTROL_PLANE_ENDPOINT_PLACEHOLDER } from "../src/bootstrap/endpoint.js";
import type { ClusterModel } from "../src/model/types.js";
import type { SynthContext } from "./context.js";
import { named, objectRef } from "./elements.js";
import { machineLogicalId } from "./names.js";

/**
 * Bootstrap data reaches Terraform only as a sensitive variable per Machine,
 * set through the environment (`TF_VAR_<name>`): the value never enters
 * cdk.tf.json, and Terraform masks everything derived from it in plans.
 */

const VARIABLE_PREFIX = "bootstrap_data_";

/** The Terraform variable that carries a Machine's bootstrap data, e.g. `bootstrap_data_machine_w_1`. */
export function bootstrapVariableName(machineName: string): string {
  return `${VARIABLE_PREFIX}${machineLogicalId(machineName)}`;
}

/**
 * The sensitive Terraform variables for these Machines' bootstrap data
 * (Machine name -> rendered data), keyed by variable name:
 * `{ bootstrap_data_machine_w_1: "..." }`. Give them to the runner as
 * `sensitiveVariables`: it passes each as `TF_VAR_<name>` and redacts the values.
 */
export function bootstrapVariables(dataByMachine: Record<string, string>): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [machine, data] of Object.entries(dataByMachine))
    variables[bootstrapVariableName(machine)] = data;
  return variables;
}

/**
 * Declares one sensitive string variable (no default) per bootstrapped
 * Machine and checks the bootstrap section against the model's Machines.
 * Returns the variables by Machine name; empty without a bootstrap section.
 */
export function addBootstrapVariables(
  scope: Construct,
  context: SynthContext,
  model: ClusterModel,
  /** The API endpoint is the init machine's address (no load balancer or VIP). */
  endpointIsInitMachine: boolean,
): Map<string, TerraformVariable> {
  const variables = new Map<string, TerraformVariable>();
  const bootstrap = model.bootstrap;
  if (bootstrap === undefined) return variables;
  const cluster = objectRef("Cluster", model.namespace, model.name);
  const roles = new Map(model.machines.map((machine) => [machine.name, machine.role]));
  for (const name of [...new Set(bootstrap.machines)].sort()) {
    if (!roles.has(name)) {
      context.problems.add(cluster, "bootstrap.machines", `"${name}" is not a Machine of this cluster`);
      continue;
    }
    const variableName = bootstrapVariableName(name);
    const variable = new TerraformVariable(scope, variableName, {
      type: "string",
      sensitive: true,
      nullable: false,
      description: context.literal(
        `Bootstrap data (cloud-config) of Machine ${model.namespace}/${name}; set through TF_VAR_${variableName}.`,
      ),
    });
    variables.set(name, named(variable, variableName));
  }
  const init = bootstrap.initMachine;
  if (!roles.has(init)) {
    // The recorded init machine left: its cluster lives on in the other control planes (the
    // single-control-plane guard holds a plan that would lose the last one) — unless it was the endpoint.
    if (endpointIsInitMachine)
      context.problems.add(
        cluster,
        "bootstrap.initMachine",
        `Machine "${init}" (the init machine) is gone, but the cluster's API endpoint is its address: the other Machines cannot reach the API without it; delete the Cluster, or give clusters whose control plane changes a load balancer (AWS) or controlPlaneEndpoint.host (vSphere)`,
      );
  } else if (roles.get(init) !== "control-plane") {
    context.problems.add(
      cluster,
      "bootstrap.initMachine",
      `"${init}" must be a control-plane Machine of this cluster (spec.versions.controlPlane set)`,
    );
  } else if (!variables.has(init)) {
    context.problems.add(cluster, "bootstrap.initMachine", `"${init}" must be listed in bootstrap.machines`);
  }
  return variables;
}

/**
 * The bootstrap data with the endpoint placeholder replaced by `endpointHost`
 * (a Terraform reference or a literal marker), gzipped and base64-encoded: a
 * Terraform expression the stack writes, never built from a user string.
 */
export function bootstrapPayload(variable: TerraformVariable, endpointHost: string): string {
  return Token.asString(
    Fn.base64gzip(Fn.replace(variable.stringValue, CONTROL_PLANE_ENDPOINT_PLACEHOLDER, endpointHost)),
  );
}

/**
 * A user string for use inside an expression (e.g. a vSphere endpoint host):
 * it becomes a `locals` value, a plain JSON string where the literal table's
 * escaping holds, and expressions name `local.<name>`. Put directly into an
 * expression's quoted argument, a `"` in it would end the string.
 */
export function literalLocal(scope: Construct, context: SynthContext, name: string, value: string): string {
  const local = new TerraformLocal(scope, `local-${name}`, context.literal(value));
  return named(local, name).asString;
}
