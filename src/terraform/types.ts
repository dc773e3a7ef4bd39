/**
 * Types of the Terraform runner. The runner knows nothing of Kubernetes: it
 * owns one working directory, a JSON configuration and the Terraform CLI.
 */

/** What Terraform plans to do with one resource instance (the -json UI `action`). */
export type ChangeAction =
  | "noop"
  | "create"
  | "read"
  | "update"
  | "replace"
  | "delete"
  | "move"
  | "import"
  | "forget";

/** One Terraform diagnostic, as printed by `-json` (already redacted). */
export interface Diagnostic {
  severity: "error" | "warning";
  summary: string;
  detail: string;
  /** Resource address the diagnostic is about, when Terraform names one. */
  address?: string;
  /** File and line in the configuration, when known. */
  range?: { filename: string; line: number };
}

interface UiEventBase {
  /** Terraform's one-line human message (`@message`), redacted. */
  message: string;
  level: string;
  timestamp?: string;
}

export interface ResourceChangeRef {
  address: string;
  action: ChangeAction;
  /** Why a replace happens (e.g. `cannot_update`, `requested`). */
  reason?: string;
  /** Former address of a moved resource. */
  previousAddress?: string;
}

/** Typed messages of Terraform's machine-readable UI stream (`-json`). */
export type TerraformUiEvent =
  | (UiEventBase & { type: "version"; terraform: string; ui: string })
  | (UiEventBase & { type: "planned_change" } & ResourceChangeRef)
  | (UiEventBase & { type: "resource_drift" } & ResourceChangeRef)
  | (UiEventBase & {
      type: "change_summary";
      operation: "plan" | "apply" | "destroy";
      add: number;
      change: number;
      import: number;
      remove: number;
    })
  | (UiEventBase & { type: "outputs"; outputs: Record<string, UiOutput> })
  | (UiEventBase & { type: "diagnostic"; diagnostic: Diagnostic })
  | (UiEventBase & {
      type: "apply_start" | "apply_progress" | "apply_complete" | "apply_errored";
      address: string;
      action: ChangeAction;
      idValue?: string;
      elapsedSeconds?: number;
    })
  | (UiEventBase & { type: "refresh_start" | "refresh_complete"; address: string; idValue?: string })
  /** Any other message type (provisioners, ephemeral resources, logs...). */
  | (UiEventBase & { type: "other"; kind: string });

/** An output as the -json UI reports it: values only after apply and never for sensitive ones. */
export interface UiOutput {
  sensitive: boolean;
  action?: string;
  type?: unknown;
  value?: unknown;
}

/** Events of the runner itself, around every Terraform process. */
export type RunnerEvent =
  | { type: "run_start"; operation: TerraformOperation; args: string[]; pid: number }
  | {
      type: "run_end";
      operation: TerraformOperation;
      /**
       * error: an exit code the operation does not accept (plan's 2 = changes is success);
       * refused: a one-run apply Terraform stopped at plan time because it would destroy (nothing changed).
       */
      result: RunResult;
      exitCode: number | null;
      durationMs: number;
      cpuMs?: number;
    }
  | { type: "init_skipped"; reason: string }
  | { type: "stderr"; text: string };

export type TerraformEvent = TerraformUiEvent | RunnerEvent;

export type RunResult = "success" | "error" | "refused" | "cancelled" | "timeout";

export type TerraformOperation =
  | "init"
  | "plan"
  | "apply"
  | "show"
  | "output"
  | "version"
  | "state"
  | "force-unlock";

/** The plan in numbers. `add`/`change`/`destroy` match Terraform's own "Plan:" line (a replace counts in add and destroy); `replace` counts replacements separately. */
export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  import: number;
  /** Terraform's verdict (-detailed-exitcode 2): resource or output changes. */
  hasChanges: boolean;
  /** Every planned resource change except no-ops, in stream order. */
  changes: ResourceChangeRef[];
  /** Objects changed outside Terraform, found while refreshing. */
  drift: ResourceChangeRef[];
  /** Output name -> planned action (create, update, delete, noop). */
  outputChanges: Record<string, string>;
}

export interface PlanOptions {
  destroy?: boolean;
  refreshOnly?: boolean;
  /** Plan file path; default `.runner/<plan|destroy|refresh>.tfplan` in the directory. */
  planFile?: string;
  signal?: AbortSignal;
}

export interface PlanResult {
  planFile: string;
  summary: PlanSummary;
  /** Warnings Terraform printed (errors throw). */
  diagnostics: Diagnostic[];
  /** sha256 of the configuration bytes the plan was made from. */
  configHash: string;
  /** The state the plan was made against, from the plan file (lineage and serial are the backend's). */
  priorState?: string;
  run: RunStats;
}

export interface OutputValue {
  value: unknown;
  sensitive: boolean;
  type?: unknown;
}

export interface ApplyResult {
  /** Terraform's own counts of what it did. */
  applied: { add: number; change: number; destroy: number; import: number };
  outputs: Record<string, OutputValue>;
  /** True when outputs came from an extra `output -json` (sensitive outputs present). */
  outputsFromOutputCommand: boolean;
  diagnostics: Diagnostic[];
  run: RunStats;
}

/** A plan for people: redacted JSON summary and Terraform's text rendering, redacted. */
export interface ShownPlan {
  json?: RedactedPlanJson;
  text?: string;
}

export interface RedactedResourceChange {
  address: string;
  actions: string[];
  actionReason?: string;
  /** Attributes whose change forces the replacement (`change.replace_paths`), as `a.b[0].c`. */
  replacePaths?: string[];
  before: unknown;
  after: unknown;
  /** Attribute paths whose value is only known after apply. */
  afterUnknown: unknown;
}

export interface RedactedPlanJson {
  formatVersion: string;
  terraformVersion: string;
  resourceChanges: RedactedResourceChange[];
  resourceDrift: RedactedResourceChange[];
  outputChanges: Record<string, { actions: string[]; before: unknown; after: unknown }>;
}

export interface RunStats {
  durationMs: number;
  /** CPU of Terraform and its providers (Linux; approximate when other children of this process run at once). */
  cpuMs?: number;
}

export interface InitResult {
  /** False when the directory was already initialised for the same providers, backend and CLI config. */
  ran: boolean;
  run?: RunStats;
}

/** The record a running Terraform process leaves in `.runner/run.json`. */
export interface RunRecord {
  pid: number;
  ownerPid: number;
  hostname: string;
  operation: TerraformOperation;
  args: string[];
  startedAt: string;
  stdoutFile: string;
}
