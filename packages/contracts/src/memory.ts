/**
 * How every service process is started memory-wise, defined once for the local stack (scripts/lib/stack/services.ts)
 * and the container images' entrypoint and environment (scripts/images.ts). Sizes are MiB (V8's "MB" flags are MiB).
 * Figures and the settings tried and rejected: ADR 0146 and ADR 0148.
 */
export const SERVICE_MEMORY = {
  /**
   * V8 young-generation semi-space ceiling (MB). On a large machine Node 24 lets each grow to 64 MB, and the young
   * generation's 128 MB stays resident in every service. With 8 MB (and two malloc arenas) a goal run measured 241–355
   * MB of RSS per service instead of 355–522, at 2.24 instead of 2.13 ms of the four services' CPU per registration:
   * within one run's spread. 4 MB with a 128 MB old space reached 134–202 MB, at 2.75 ms (ADR 0146).
   */
  maxSemiSpaceMb: 8,
  /**
   * V8 old-generation ceiling. Node sizes it from the memory it sees: in a 256 or 512 MiB container it picks ~256 by
   * itself, on a large machine gigabytes, and collects lazily below that. Set explicitly, the local stack and the bench
   * run the heap the pods run (ADR 0148).
   */
  maxOldSpaceMb: 256,
  /** RSS a service holds outside the V8 heap (the Node binary and ICU pages, malloc arenas, buffers): ~100, ADR 0146. */
  outsideHeapMb: 100,
  /** glibc malloc arenas: by default up to 8 per core for libuv's and V8's threads, each keeping freed memory. */
  mallocArenaMax: 2,
} as const;

/** Node flags placed before the entry module on every service command line. */
export const SERVICE_NODE_FLAGS: readonly string[] = [
  `--max-semi-space-size=${SERVICE_MEMORY.maxSemiSpaceMb}`,
  `--max-old-space-size=${SERVICE_MEMORY.maxOldSpaceMb}`,
];

/**
 * The smallest container memory limit (MiB) a service fits in: its old-space ceiling, a young generation of three
 * semi-spaces and what it holds outside the heap. Below it the kubelet kills the pod before V8 collects.
 */
export const SERVICE_MEMORY_LIMIT_FLOOR_MIB =
  SERVICE_MEMORY.maxOldSpaceMb + 3 * SERVICE_MEMORY.maxSemiSpaceMb + SERVICE_MEMORY.outsideHeapMb;

/** Environment every service process gets on top of its own. */
export const SERVICE_PROCESS_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: String(SERVICE_MEMORY.mallocArenaMax),
};
