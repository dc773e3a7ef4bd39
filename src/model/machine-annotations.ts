import { ADOPT_INSTANCE_ANNOTATION, annotationPath, ON_DELETE_ANNOTATION } from "../api/annotations.js";
import type { FieldError } from "../api/field-error.js";
import { errorAt } from "../api/field-error.js";
import type { Machine } from "../api/machine.js";
import type { ProviderName } from "../api/provider-specs.js";
import type { MachineModel } from "./types.js";

type MachineSettings = Pick<MachineModel, "adoptId" | "onDelete">;

// EC2 instance ids: "i-" and 8 (old) or 17 hexadecimal digits.
const AWS_INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** The adoption and deletion settings a Machine's annotations ask for, validated. */
export function machineAnnotations(
  machine: Machine,
  provider: ProviderName,
): { ok: true; settings: MachineSettings } | { ok: false; errors: FieldError[] } {
  const annotations = machine.metadata.annotations ?? {};
  const errors: FieldError[] = [];
  const settings: MachineSettings = {};
  const adopt = annotations[ADOPT_INSTANCE_ANNOTATION];
  if (adopt !== undefined) {
    const path = annotationPath(ADOPT_INSTANCE_ANNOTATION);
    if (provider !== "aws")
      errors.push(errorAt(machine, path, "adopting existing instances is implemented for AWS only"));
    else if (!AWS_INSTANCE_ID.test(adopt))
      errors.push(errorAt(machine, path, `"${adopt}" is not an EC2 instance id (i- and 8 or 17 hex digits)`));
    else settings.adoptId = adopt;
  }
  const onDelete = annotations[ON_DELETE_ANNOTATION];
  if (onDelete !== undefined) {
    if (onDelete === "orphan") settings.onDelete = "orphan";
    else if (onDelete !== "delete")
      errors.push(
        errorAt(
          machine,
          annotationPath(ON_DELETE_ANNOTATION),
          `unknown value "${onDelete}": use delete (default) or orphan`,
        ),
      );
  }
  return errors.length ? { ok: false, errors } : { ok: true, settings };
}
