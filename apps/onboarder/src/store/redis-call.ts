import { DependencyUnavailableError } from '@scalefu/service-kit';

/**
 * Run one Redis call; any failure (down, timeout, no connection — the kit's client fails fast) becomes a 503
 * for the client instead of a 500, with the cause kept for the log line.
 */
export async function redisCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw Object.assign(new DependencyUnavailableError('redis'), { cause: error });
  }
}
