import { INFRA_PORTS } from '@scalefu/contracts';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { pinnedNode } from '../node-runtime';
import { StackError } from '../console';
import { REPO_ROOT } from '../paths';
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

/** maildev: an SMTP catcher with a web inbox; mails persist under the stack's data folder. */
export async function startMaildev(
  ctx: StartContext,
  ports: { smtp: number; web: number },
): Promise<RunningComponent & { smtpUrl: string; webUrl: string }> {
  await assertPortFree('maildev', ports.smtp, INFRA_PORTS.smtp.env);
  await assertPortFree('maildev', ports.web, INFRA_PORTS.maildevWeb.env);
  const mailDir = path.join(ctx.dirs.data, 'maildev');
  await mkdir(mailDir, { recursive: true });
  const logFile = path.join(ctx.dirs.logs, 'maildev.log');
  const server = ctx.supervisor.spawn({
    name: 'maildev',
    command: pinnedNode(),
    args: [
      path.join(REPO_ROOT, 'node_modules', 'maildev', 'bin', 'maildev'),
      '--smtp',
      String(ports.smtp),
      '--web',
      String(ports.web),
      '--ip',
      '127.0.0.1',
      '--mail-directory',
      mailDir,
    ],
    logFile,
  });
  const webUrl = `http://127.0.0.1:${ports.web}`;
  try {
    await waitUntil('maildev', 'SMTP EHLO', () => smtpHandshake('127.0.0.1', ports.smtp), {
      timeoutMs: 20_000,
      alive: () => server.isAlive(),
    });
    await waitUntil(
      'maildev',
      'web inbox /healthz',
      async () => {
        const response = await fetch(`${webUrl}/healthz`);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      },
      { timeoutMs: 10_000, alive: () => server.isAlive() },
    );
  } catch (error) {
    await server.stop();
    throw new StackError('maildev', `${(error as Error).message}\n${server.tail()}`);
  }
  return {
    name: 'maildev',
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
