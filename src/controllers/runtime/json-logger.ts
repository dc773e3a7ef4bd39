import { type DestinationStream, type Logger as Pino, pino } from "pino";
import type { Logger, LogLevel } from "./logger.js";

/**
 * `--log-format json`: one JSON object per line (pino) on stderr, as log
 * collectors in a cluster expect: `time` (ISO 8601), `level` (debug, info,
 * warn, error), `msg`, then the fields. Child loggers carry the
 * per-reconcile fields (controller, namespace, cluster, reconcileID).
 */
export function jsonLogger(minimum: LogLevel = "info", destination?: DestinationStream): Logger {
  const root = pino(
    {
      level: minimum,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // Synchronous: a line written before a crash or process.exit is not lost.
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
  return wrap(root, new Set());
}

/** `bound`: keys a parent child logger already writes; a call's own field of that name is dropped (one key per line). */
function wrap(log: Pino, bound: ReadonlySet<string>): Logger {
  const own = (fields: Record<string, unknown> = {}) =>
    bound.size === 0 ? fields : Object.fromEntries(Object.entries(fields).filter(([key]) => !bound.has(key)));
  return {
    debug: (message, fields) => log.debug(own(fields), message),
    info: (message, fields) => log.info(own(fields), message),
    warn: (message, fields) => log.warn(own(fields), message),
    error: (message, fields) => log.error(own(fields), message),
    child: (fields) => wrap(log.child(own(fields)), new Set([...bound, ...Object.keys(fields)])),
  };
}
