/**
 * How many Terraform runs may go at once, from what runs really consume.
 * A run (terraform + the AWS provider plugin) holds ~0.8 GB at its peak but
 * spends most of its wall time waiting on the cloud API, so a fixed small
 * limit leaves the machine idle while a large one can exhaust memory.
 *
 *   slots = clamp(min(running + floor(spareMemory / memoryPerRun),
 *                     max(2, running + floor(spareCores / coresPerRun))), 1, cap)
 *   spareMemory = MemAvailable - reserve x total - warming x memoryPerRun
 *   spareCores  = idle cores (measured) - warming x coresPerRun
 *
 * "warming" runs started too recently to show their use yet. Idle cores are
 * measured over a short window (not the load average, which lags by a
 * minute). One run is always allowed: a busy machine slows clusterform down
 * but never stops it. CPU alone never holds runs below 2 (the earlier fixed
 * default): runs mostly wait on the cloud API, so on a machine kept busy by
 * something else two still overlap well; memory is the hard bound.
 */

export const GIB = 1024 ** 3;

export interface HostUse {
  /** Memory the kernel can hand out now (MemAvailable). */
  availableBytes: number;
  totalBytes: number;
  cpus: number;
  /** Cores idle over the last sample window (cpus - busy), 0..cpus. */
  idleCores: number;
}

export interface SlotSettings {
  /** The user's upper bound (--max-concurrent-runs). */
  cap: number;
  /** Peak RSS of one run (terraform + provider). */
  memoryPerRunBytes?: number;
  /** Cores one run keeps busy on average (it mostly waits on the cloud API). */
  coresPerRun?: number;
  /** Memory left for the controller, the API server and everything else. */
  reserveFraction?: number;
}

export const DEFAULT_MEMORY_PER_RUN = 0.8 * GIB;
/** One 5-Machine apply here: 11.8 s CPU over 39 s wall. */
export const DEFAULT_CORES_PER_RUN = 0.3;
export const DEFAULT_RESERVE_FRACTION = 0.1;
/** The default cap: 16 runs, as the bare baseline. */
export const DEFAULT_MAX_CONCURRENT_RUNS = 16;
/** Runs CPU alone never holds back (memory still can). */
export const MIN_CPU_SLOTS = 2;

/** Runs that fit in memory alone (how the bare-Terraform baseline sizes itself). */
export function memorySlots(
  host: Pick<HostUse, "availableBytes" | "totalBytes">,
  settings: SlotSettings,
): number {
  const perRun = settings.memoryPerRunBytes ?? DEFAULT_MEMORY_PER_RUN;
  const reserve = host.totalBytes * (settings.reserveFraction ?? DEFAULT_RESERVE_FRACTION);
  return clamp(fits(host.availableBytes - reserve, perRun), 1, settings.cap);
}

export interface Running {
  /** Runs going now. */
  running: number;
  /** Of those, runs started too recently for their memory and CPU to show in `host` yet. */
  warming: number;
}

/** The number of runs allowed at once now. */
export function runSlots(host: HostUse, runs: Running, settings: SlotSettings): number {
  const perRun = settings.memoryPerRunBytes ?? DEFAULT_MEMORY_PER_RUN;
  const coresPerRun = settings.coresPerRun ?? DEFAULT_CORES_PER_RUN;
  const reserve = host.totalBytes * (settings.reserveFraction ?? DEFAULT_RESERVE_FRACTION);
  const spareMemory = host.availableBytes - reserve - runs.warming * perRun;
  const idleCores = host.idleCores - runs.warming * coresPerRun;
  const byMemory = runs.running + fits(spareMemory, perRun);
  const byCpu = Math.max(MIN_CPU_SLOTS, runs.running + fits(idleCores, coresPerRun));
  return clamp(Math.min(byMemory, byCpu), 1, settings.cap);
}

/** Whole runs that fit; the epsilon keeps 5.6 GiB / 0.8 GiB at 7, not 6.999. */
function fits(spare: number, perRun: number): number {
  return Math.floor(Math.max(0, spare) / perRun + 1e-9);
}

function clamp(n: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, n));
}
