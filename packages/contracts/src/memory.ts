/**
 * How every service process is started memory-wise, defined once for the local stack (scripts/lib/stack/services.ts)
 * and the container images' entrypoint and environment (scripts/images.ts). Figures and the settings tried and
 * rejected: ADR 0146.
 */
export const SERVICE_MEMORY = {
  /**
   * V8 young-generation semi-space ceiling (MB). On a large machine Node 24 lets each grow to 64 MB, and the young
   * generation's 128 MB stays resident in every service; 8 MB cut ~100 MB of RSS per service at 500/s for about 0.1 ms
   * of CPU per registration over the four services, while 4 MB cost 0.4 ms.
   */
  maxSemiSpaceMb: 8,
  /** glibc malloc arenas: by default up to 8 per core for libuv's and V8's threads, each keeping freed memory. */
  mallocArenaMax: 2,
} as const;

/** Node flags placed before the entry module on every service command line. */
export const SERVICE_NODE_FLAGS: readonly string[] = [`--max-semi-space-size=${SERVICE_MEMORY.maxSemiSpaceMb}`];

/** Environment every service process gets on top of its own. */
export const SERVICE_PROCESS_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: String(SERVICE_MEMORY.mallocArenaMax),
};
