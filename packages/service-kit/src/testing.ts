import { createServer } from 'node:net';
import { createLogger, type Logger } from './logger';

/**
 * Test helpers for apps built on the kit (imported as `@scalefu/service-kit/testing`, never by production code).
 */

/** A logger that keeps every line (debug and up), so a test can see which lifecycle stop steps ran. */
export function recordingLogger(service = 'test'): { logger: Logger; stoppedSteps: () => unknown[] } {
  const lines: Record<string, unknown>[] = [];
  const write = (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>);
  return {
    logger: createLogger({ service, level: 'debug', destination: { write } }),
    /** Names of the lifecycle steps that stopped, in order. */
    stoppedSteps: () =>
      lines.filter((l) => l['msg'] === 'stopped' && typeof l['step'] === 'string').map((l) => l['step']),
  };
}

/** Hold a TCP port on all interfaces, so a service told to listen there fails after connecting its clients. */
export async function occupiedPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const { port } = server.address() as { port: number };
  return { port, release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
