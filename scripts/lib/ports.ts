import net from 'node:net';
import { StackError } from './console';

/** Resolves if nothing listens on host:port; otherwise a StackError naming the port, its owner's env var and the fix. */
export async function assertPortFree(
  component: string,
  port: number,
  envVar: string,
  host = '127.0.0.1',
): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
  if (!free) {
    throw new StackError(
      component,
      `port ${port} is already taken. Find the owner with \`ss -ltnp 'sport = :${port}'\`, stop it (or a stack left ` +
        `running: \`npm stop\`), or pick another port with ${envVar}=<port>.`,
    );
  }
}

/** Poll `check` until it resolves or `timeoutMs` passes; `alive` aborts early when the process died. */
export async function waitUntil(
  component: string,
  what: string,
  check: () => Promise<unknown>,
  options: { timeoutMs: number; alive?: () => boolean; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (options.alive && !options.alive()) throw new StackError(component, `exited while starting (${what})`);
    try {
      await check();
      return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
  throw new StackError(
    component,
    `not ready after ${options.timeoutMs / 1000} s (${what}): ${(lastError as Error | undefined)?.message ?? 'no answer'}`,
  );
}
