import type {
  ChangeAction,
  Diagnostic,
  PlanSummary,
  ResourceChangeRef,
  TerraformUiEvent,
  UiOutput,
} from "./types.js";

/**
 * Terraform's machine-readable UI (`plan -json`, `apply -json`, `init -json`):
 * one JSON object per line. Parsing it gives progress events and the plan
 * summary without a second `terraform show` run.
 */

type Json = Record<string, unknown>;

/** Parses one line of the stream; undefined for blank or non-JSON lines. */
export function parseUiLine(line: string): TerraformUiEvent | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return undefined;
  let raw: Json;
  try {
    raw = JSON.parse(trimmed) as Json;
  } catch {
    return undefined;
  }
  return toEvent(raw);
}

function toEvent(raw: Json): TerraformUiEvent {
  const base = {
    message: str(raw["@message"]),
    level: str(raw["@level"]) || "info",
    timestamp: typeof raw["@timestamp"] === "string" ? raw["@timestamp"] : undefined,
  };
  const type = str(raw.type);
  switch (type) {
    case "version":
      return { ...base, type, terraform: str(raw.terraform), ui: str(raw.ui) };
    case "planned_change":
    case "resource_drift":
      return { ...base, type, ...changeRef(obj(raw.change)) };
    case "change_summary": {
      const changes = obj(raw.changes);
      const operation = str(changes.operation);
      return {
        ...base,
        type,
        operation: operation === "apply" || operation === "destroy" ? operation : "plan",
        add: num(changes.add),
        change: num(changes.change),
        import: num(changes.import),
        remove: num(changes.remove),
      };
    }
    case "outputs":
      return { ...base, type, outputs: outputsOf(obj(raw.outputs)) };
    case "diagnostic":
      return { ...base, type, diagnostic: diagnosticOf(obj(raw.diagnostic)) };
    case "apply_start":
    case "apply_progress":
    case "apply_complete":
    case "apply_errored": {
      const hook = obj(raw.hook);
      return {
        ...base,
        type,
        address: str(obj(hook.resource).addr),
        action: str(hook.action) as ChangeAction,
        idValue: typeof hook.id_value === "string" ? hook.id_value : undefined,
        elapsedSeconds: typeof hook.elapsed_seconds === "number" ? hook.elapsed_seconds : undefined,
      };
    }
    case "refresh_start":
    case "refresh_complete": {
      const hook = obj(raw.hook);
      const idValue = typeof hook.id_value === "string" ? hook.id_value : undefined;
      return { ...base, type, address: str(obj(hook.resource).addr), idValue };
    }
    default:
      return { ...base, type: "other", kind: type };
  }
}

function changeRef(change: Json): ResourceChangeRef {
  const ref: ResourceChangeRef = {
    address: str(obj(change.resource).addr),
    action: str(change.action) as ChangeAction,
  };
  if (typeof change.reason === "string") ref.reason = change.reason;
  const previous = obj(change.previous_resource).addr;
  if (typeof previous === "string") ref.previousAddress = previous;
  return ref;
}

function outputsOf(raw: Json): Record<string, UiOutput> {
  const outputs: Record<string, UiOutput> = {};
  for (const [name, value] of Object.entries(raw)) {
    const output = obj(value);
    const entry: UiOutput = { sensitive: output.sensitive === true };
    if (typeof output.action === "string") entry.action = output.action;
    if ("type" in output) entry.type = output.type;
    if ("value" in output) entry.value = output.value;
    outputs[name] = entry;
  }
  return outputs;
}

/** Diagnostics from `-json` streams and from `validate -json`/`show` share this shape. */
export function diagnosticOf(raw: Json): Diagnostic {
  const diagnostic: Diagnostic = {
    severity: raw.severity === "warning" ? "warning" : "error",
    summary: str(raw.summary),
    detail: str(raw.detail),
  };
  if (typeof raw.address === "string" && raw.address) diagnostic.address = raw.address;
  const range = obj(raw.range);
  if (typeof range.filename === "string") {
    diagnostic.range = { filename: range.filename, line: num(obj(range.start).line) };
  }
  return diagnostic;
}

/** A plan with nothing in it (what a run that failed before planning reports). */
export function emptyPlanSummary(): PlanSummary {
  return {
    add: 0,
    change: 0,
    destroy: 0,
    replace: 0,
    import: 0,
    hasChanges: false,
    changes: [],
    drift: [],
    outputChanges: {},
  };
}

/** Folds the events of one `plan -json` run into its summary. */
export function summarisePlan(events: readonly TerraformUiEvent[], exitCode: number): PlanSummary {
  const summary: PlanSummary = { ...emptyPlanSummary(), hasChanges: exitCode === 2 };
  let counted: Extract<TerraformUiEvent, { type: "change_summary" }> | undefined;
  for (const event of events) {
    if (event.type === "planned_change" && event.action !== "noop") summary.changes.push(refOf(event));
    if (event.type === "resource_drift") summary.drift.push(refOf(event));
    if (event.type === "change_summary") counted = event;
    if (event.type === "outputs") {
      for (const [name, output] of Object.entries(event.outputs)) {
        if (output.action) summary.outputChanges[name] = output.action;
      }
    }
  }
  summary.replace = summary.changes.filter((c) => c.action === "replace").length;
  if (counted) {
    summary.add = counted.add;
    summary.change = counted.change;
    summary.destroy = counted.remove;
    summary.import = counted.import;
  } else {
    countFromChanges(summary);
  }
  return summary;
}

/** Fallback when Terraform printed no change_summary (older versions, tofu variants). */
function countFromChanges(summary: PlanSummary): void {
  for (const { action } of summary.changes) {
    if (action === "create" || action === "replace") summary.add++;
    if (action === "delete" || action === "replace") summary.destroy++;
    if (action === "update") summary.change++;
    if (action === "import") summary.import++;
  }
}

function refOf(event: ResourceChangeRef): ResourceChangeRef {
  const ref: ResourceChangeRef = { address: event.address, action: event.action };
  if (event.reason) ref.reason = event.reason;
  if (event.previousAddress) ref.previousAddress = event.previousAddress;
  return ref;
}

function obj(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}
