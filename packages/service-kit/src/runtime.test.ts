import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { HTTP_LISTEN_BACKLOG } from '@scalefu/contracts';
import { ServiceRuntime } from './runtime';

const NODE_DEFAULT_BACKLOG = 511;
const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));

test(
  'a served service keeps HTTP_LISTEN_BACKLOG connections waiting to be accepted, not Node’s 511',
  {
    skip: somaxconn <= NODE_DEFAULT_BACKLOG && `net.core.somaxconn is ${somaxconn}: the kernel caps any backlog there`,
  },
  async () => {
    const runtime = new ServiceRuntime('onboarder', {
      PORT: 0,
      LOG_LEVEL: 'silent',
      SHUTDOWN_TIMEOUT_SECONDS: 5,
      SHUTDOWN_DRAIN_SECONDS: 0,
    });
    const server = await runtime.createHttpServer();
    try {
      const url = new URL(await runtime.serve(server, { host: '127.0.0.1', port: 0 }));
      // For a listening socket, ss shows the accept queue's size (the backlog, capped by somaxconn) as Send-Q.
      const listening = execFileSync('ss', ['-Hltn', `sport = :${url.port}`], { encoding: 'utf8' })
        .trim()
        .split(/\s+/);
      assert.equal(Number(listening[2]), Math.min(HTTP_LISTEN_BACKLOG, somaxconn), listening.join(' '));
      assert.ok(Number(listening[2]) > NODE_DEFAULT_BACKLOG);
    } finally {
      await runtime.lifecycle.shutdown('test over');
    }
  },
);
