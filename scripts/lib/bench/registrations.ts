import http from 'node:http';
import { quantile } from './open-load';

/** Each phase of a run draws phone numbers from its own block, so no two requests of a run share an identity. */
const PHASE_BLOCKS = {
  idle: 0,
  warm: 1_000_000,
  main: 10_000_000,
  saturation: 50_000_000,
  breakpoint: 70_000_000,
  soak: 80_000_000,
} as const;
export type BenchPhase = keyof typeof PHASE_BLOCKS;

/** The (lower-case) e-mail of request `i` of a phase: how mails and rows are matched back to requests. */
export function registrationEmail(run: string, phase: BenchPhase, i: number): string {
  return `bench-${run}-${phase}-${i}@example.co.th`;
}

/** A valid, unique registration body (a repeated body would measure the 409 path, not registration). */
export function registrationBody(run: string, phase: BenchPhase, i: number): string {
  const subscriber = String(PHASE_BLOCKS[phase] + i).padStart(8, '0');
  return JSON.stringify({
    name: 'Bench Panda',
    email: registrationEmail(run, phase, i),
    phoneNumber: `08${subscriber}`,
  });
}

/**
 * Median latency (ms) of `count` registers sent one after another on one keep-alive connection, `gapMs` apart: with a
 * gap longer than one registration's trip through the pipeline, each meets an idle stack, as the idle goal means,
 * instead of the previous registration's consumers, database writes and mail.
 */
export async function sequentialRegisterMs(
  url: string,
  count: number,
  body: (i: number) => string,
  gapMs = 0,
): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      if (i > 0 && gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
      const payload = body(i);
      const t0 = process.hrtime.bigint();
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.request(
          url,
          { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          },
        );
        request.on('error', reject);
        request.end(payload);
      });
      if (status !== 201) throw new Error(`idle register answered ${status}`);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  } finally {
    agent.destroy();
  }
  return quantile(latencies, 0.5);
}
