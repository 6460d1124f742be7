import { INFRA_PORTS, RUNTIME_ENV } from '@scalefu/contracts';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { StackError, say } from '../console';
import { mailpitBinary } from '../mailpit';
import { assertPortFree, waitUntil } from '../ports';
import type { RunningComponent, StartContext } from './types';

/** Protocol-level SMTP check: the server greets with 220 and answers EHLO with 250. */
export function smtpHandshake(host: string, port: number, timeoutMs = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let buffer = '';
    let greeted = false;
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error('SMTP timed out')));
    socket.on('error', fail);
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      const lines = buffer.split('\r\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!greeted && line.startsWith('220')) {
          greeted = true;
          socket.write('EHLO scalefu-stack\r\n');
        } else if (greeted && line.startsWith('250 ')) {
          socket.end('QUIT\r\n');
          resolve();
        } else if (/^[45]\d\d /.test(line)) {
          fail(new Error(`SMTP said: ${line}`));
        }
      }
    });
  });
}

/**
 * Messages mailpit keeps: older ones are pruned (once a minute). They live in SQLite under the stack's data folder,
 * so memory stays flat however many arrive; the bound keeps the disk flat too (~8.5 KB of database a confirmation
 * mail, `MAILPIT_COMPRESSION`). Above a bench run's 30,000 mails so its mailed-once count sees them all.
 */
export const MAILPIT_MAX_MESSAGES = 100_000;

/**
 * Go's collector runs when the heap has grown by GOGC % since the last one: at the default 100, mailpit's small live
 * heap meant a collection every few dozen mails. At 400 it spent 1.02–1.03 ms of CPU per confirmation mail instead
 * of 1.16–1.24, peaking at 48 MB RSS instead of 35 (10,000 mails each way, 2026-12-07; the README's performance
 * section). The heap stays proportional to what mailpit holds, so memory stays bounded.
 */
export const MAILPIT_GOGC = 400;

/**
 * zstd level for the raw messages mailpit stores (0 = stored as they came). Uncompressed, it spent 0.59–0.60 ms of CPU
 * per confirmation mail instead of 0.63, and the stack's accept→CONFIRMED p95 at 400/s was 755–818 ms instead of
 * 1,043–1,343 (two runs each way, 2026-12-07 21:45–21:53; the README's performance section). The disk it costs is
 * bounded by `MAILPIT_MAX_MESSAGES`: a confirmation mail's raw 4.3 KB instead of 2.1 compressed, ~8.5 KB of database a
 * mail instead of ~6.5 (~0.85 GB at the bound instead of ~0.65).
 */
export const MAILPIT_COMPRESSION = 0;

/**
 * The notifier's SMTP pool on the local stack (ADR 0152): mailpit offers no PIPELINING, so a pooled connection carries one
 * mail per four round trips, and unlike a provider's relay it caps no connections. At 500/s, 40 connections took the
 * stack's accept→CONFIRMED p95 from 4.4–6.1 s with the service's defaults (5 and 20 in flight) to 0.82 s with 80 in
 * flight and 0.77–0.88 s with 160. The caller's environment still wins, so a run can try other sizes.
 */
export function notifierSmtpEnvForMailpit(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const { smtpPoolSize, smtpMaxInFlight } = RUNTIME_ENV;
  return { [smtpPoolSize]: env[smtpPoolSize] ?? '40', [smtpMaxInFlight]: env[smtpMaxInFlight] ?? '80' };
}

/** mailpit: an SMTP catcher with a web inbox and REST API (ADR 0135); mails persist under the stack's data folder. */
export async function startMailpit(
  ctx: StartContext,
  ports: { smtp: number; web: number },
): Promise<RunningComponent & { smtpUrl: string; webUrl: string }> {
  await assertPortFree('mailpit', ports.smtp, INFRA_PORTS.smtp.env);
  await assertPortFree('mailpit', ports.web, INFRA_PORTS.mailWeb.env);
  const binary = await mailpitBinary(undefined, { log: (line) => say.step('mailpit', line) });
  const mailDir = path.join(ctx.dirs.data, 'mailpit');
  await mkdir(mailDir, { recursive: true });
  const logFile = path.join(ctx.dirs.logs, 'mailpit.log');
  const server = ctx.supervisor.spawn({
    name: 'mailpit',
    command: binary,
    args: [
      '--smtp',
      `127.0.0.1:${ports.smtp}`,
      '--listen',
      `127.0.0.1:${ports.web}`,
      '--database',
      path.join(mailDir, 'mailpit.db'),
      '--max',
      String(MAILPIT_MAX_MESSAGES),
      '--compression',
      String(MAILPIT_COMPRESSION),
      // SMTP_URL may carry credentials (a provider's shape): accept any over plain SMTP, as maildev did.
      '--smtp-auth-accept-any',
      '--smtp-auth-allow-insecure',
      '--smtp-disable-rdns',
      '--disable-version-check',
      '--quiet',
    ],
    env: { ...process.env, GOGC: String(MAILPIT_GOGC) },
    logFile,
  });
  const webUrl = `http://127.0.0.1:${ports.web}`;
  try {
    await waitUntil('mailpit', 'SMTP EHLO', () => smtpHandshake('127.0.0.1', ports.smtp), {
      timeoutMs: 20_000,
      alive: () => server.isAlive(),
    });
    await waitUntil(
      'mailpit',
      'web inbox /readyz',
      async () => {
        const response = await fetch(`${webUrl}/readyz`);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      },
      { timeoutMs: 10_000, alive: () => server.isAlive() },
    );
  } catch (error) {
    await server.stop();
    throw new StackError('mailpit', `${(error as Error).message}\n${server.tail()}`);
  }
  return {
    name: 'mailpit',
    address: `smtp://127.0.0.1:${ports.smtp}, inbox ${webUrl}`,
    smtpUrl: `smtp://127.0.0.1:${ports.smtp}`,
    webUrl,
    pids: [server.pid],
    logFile,
    isAlive: () => server.isAlive(),
    deathReport: () => `${server.describeExit()}\n${server.tail()}`,
    stop: () => server.stop(),
  };
}
