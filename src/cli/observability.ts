import { type Command, InvalidArgumentError, Option } from "commander";
import { jsonLogger } from "../controllers/runtime/json-logger.js";
import { consoleLogger, type Logger, type LogLevel } from "../controllers/runtime/logger.js";
import type { Manager } from "../controllers/runtime/manager.js";
import { type BindAddress, describeBindAddress, parseBindAddress } from "../metrics/bind-address.js";
import { type Endpoints, serveMetrics, serveProbes } from "../metrics/http-endpoints.js";

/** Flags of every command that runs the controllers: logs, metrics, probes. */
export interface ObservabilityFlags {
  logLevel: LogLevel;
  logFormat: "text" | "json";
  /** undefined: off (`0`). */
  metricsBindAddress?: BindAddress;
  healthProbeBindAddress?: BindAddress;
}

/**
 * --log-level, --log-format, --metrics-bind-address, --health-probe-bind-address.
 * Both endpoints are off by default (`0`, as kubebuilder's scaffold does for
 * metrics): a fixed port would collide on a shared machine; the components
 * Deployment passes `:8080` and `:8081`.
 */
export function addObservabilityOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--log-level <level>", "least severe log lines shown")
        .choices(["debug", "info", "warn", "error"])
        .default("info"),
    )
    .addOption(
      new Option("--log-format <format>", "text for people, json (one object per line) for log collectors")
        .choices(["text", "json"])
        .default("text"),
    )
    .addOption(
      new Option(
        "--metrics-bind-address <address>",
        "serve Prometheus metrics on GET /metrics at [host]:port (e.g. :8080); 0 disables",
      )
        .default(undefined, "0")
        .argParser((text) => bindAddressArgument("--metrics-bind-address", text)),
    )
    .addOption(
      new Option(
        "--health-probe-bind-address <address>",
        "serve GET /healthz and /readyz at [host]:port (e.g. :8081); 0 disables",
      )
        .default(undefined, "0")
        .argParser((text) => bindAddressArgument("--health-probe-bind-address", text)),
    );
}

function bindAddressArgument(flag: string, text: string): BindAddress | undefined {
  try {
    return parseBindAddress(flag, text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

export function loggerFrom(flags: ObservabilityFlags): Logger {
  return flags.logFormat === "json"
    ? jsonLogger(flags.logLevel)
    : consoleLogger(flags.logLevel, "clusterform");
}

/** Starts the endpoints the flags ask for (before the manager: probes answer while it waits for the Lease). */
export async function serveObservability(
  manager: Manager,
  flags: ObservabilityFlags,
  logger: Logger,
): Promise<() => Promise<void>> {
  const endpoints: Endpoints[] = [];
  const started = (what: string, address: BindAddress, served: Endpoints) => {
    endpoints.push(served);
    logger.info(`serving ${what}`, { address: describeBindAddress({ ...address, port: served.port }) });
  };
  try {
    if (flags.metricsBindAddress)
      started(
        "metrics",
        flags.metricsBindAddress,
        await serveMetrics(flags.metricsBindAddress, manager.registry),
      );
    if (flags.healthProbeBindAddress)
      started(
        "health probes",
        flags.healthProbeBindAddress,
        await serveProbes(flags.healthProbeBindAddress, { ready: () => manager.isReady }),
      );
  } catch (error) {
    await Promise.all(endpoints.map((served) => served.close()));
    throw error;
  }
  return async () => {
    await Promise.all(endpoints.map((served) => served.close()));
  };
}
