/**
 * The kit's Redis client over TLS against a real redis-server and a real Sentinel that listen on TLS only (`port 0`),
 * with certificates from a throw-away CA made here with openssl: the clusters' setup (docs/adr/0107) in miniature.
 */
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRedis, type Redis } from '../src/redis/client';
import { eventually, silentLogger } from './support';

const PASSWORD = 'tls-test-password';
const MASTER_SET = 'tls-test';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A CA, and a server certificate it signs for `localhost` and 127.0.0.1 (what the clusters' certificate holds for probes). */
function makeCa(dir: string, name: string): { ca: string; cert: string; key: string } {
  const file = (f: string) => path.join(dir, `${name}-${f}`);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('ca.key'));
  openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    file('ca.key'),
    '-subj',
    `/CN=${name} test CA`,
    '-days',
    '1',
    '-out',
    file('ca.crt'),
  );
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('tls.key'));
  openssl('req', '-new', '-key', file('tls.key'), '-subj', '/CN=localhost', '-out', file('tls.csr'));
  writeFileSync(file('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('tls.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('ext.cnf'),
    '-out',
    file('tls.crt'),
  );
  return { ca: file('ca.crt'), cert: file('tls.crt'), key: file('tls.key') };
}

describe('Redis client over TLS (real redis-server and Sentinel, TLS port only)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'scalefu-redis-tls-'));
  const processes: ChildProcess[] = [];
  const clients: Redis[] = [];
  let pki: { ca: string; cert: string; key: string };
  let otherCa: string;
  let redisPort: number;
  let sentinelPort: number;

  const tlsArgs = (port: number) => [
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--tls-cert-file',
    pki.cert,
    '--tls-key-file',
    pki.key,
    '--tls-ca-cert-file',
    pki.ca,
    '--tls-auth-clients',
    'no',
    '--tls-replication',
    'yes',
    '--bind',
    '127.0.0.1',
    '127.0.0.2',
  ];
  const client = (settings: Parameters<typeof createRedis>[0]) => {
    const redis = createRedis(settings, silentLogger);
    clients.push(redis);
    return redis;
  };

  before(async () => {
    pki = makeCa(dir, 'scalefu');
    otherCa = makeCa(dir, 'other').ca;
    redisPort = await freePort();
    sentinelPort = await freePort();
    processes.push(
      spawn(
        'redis-server',
        [...tlsArgs(redisPort), '--requirepass', PASSWORD, '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: 'ignore' },
      ),
    );
    const sentinelConf = path.join(dir, 'sentinel.conf');
    writeFileSync(
      sentinelConf,
      [
        `dir ${dir}`,
        'sentinel resolve-hostnames yes',
        'sentinel announce-hostnames yes',
        `sentinel monitor ${MASTER_SET} localhost ${redisPort} 1`,
        `sentinel auth-pass ${MASTER_SET} ${PASSWORD}`,
        '',
      ].join('\n'),
    );
    processes.push(spawn('redis-server', [sentinelConf, '--sentinel', ...tlsArgs(sentinelPort)], { stdio: 'ignore' }));
    const probe = client({
      url: 'redis://unused',
      sentinels: `localhost:${sentinelPort}`,
      sentinelMaster: MASTER_SET,
      password: PASSWORD,
      tls: true,
      tlsCaFile: pki.ca,
      connectionName: 'tls-probe',
    });
    await eventually('Sentinel names the TLS primary', async () => {
      await probe.connect().catch(() => undefined);
      return (await probe.ping().catch(() => '')) === 'PONG';
    });
  });

  after(() => {
    for (const redis of clients) redis.disconnect();
    for (const child of processes) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches the primary through the Sentinels, both over TLS verified against the CA file', async () => {
    const redis = client({
      url: 'redis://unused',
      sentinels: `localhost:${sentinelPort}`,
      sentinelMaster: MASTER_SET,
      password: PASSWORD,
      tls: true,
      tlsCaFile: pki.ca,
      connectionName: 'tls-sentinel',
    });
    await redis.connect();
    await redis.set('scalefu:tls-test', 'over-tls');
    assert.equal(await redis.get('scalefu:tls-test'), 'over-tls');
    // The server sees this very connection on its TLS port (the plaintext port is closed): `laddr` is the TLS port.
    const me = (await redis.client('INFO')) as string;
    assert.match(me, new RegExp(`laddr=127\\.0\\.0\\.1:${redisPort} `));
    assert.match(me, /name=tls-sentinel /);
  });

  it('Sentinel monitors the primary over TLS (`tls-replication yes` with the plaintext port closed)', async () => {
    const sentinel = client({
      url: `rediss://localhost:${sentinelPort}`,
      tlsCaFile: pki.ca,
      connectionName: 'tls-sentinel-admin',
    });
    await sentinel.connect();
    await eventually('Sentinel has read INFO from the primary', async () => {
      const reply = (await sentinel.call('SENTINEL', 'MASTER', MASTER_SET)) as string[];
      const fields = Object.fromEntries(reply.flatMap((v, i) => (i % 2 ? [] : [[v, reply[i + 1]]])));
      // `info-refresh` is the age in ms of the last INFO reply from the primary, 0 until one arrived; `flags` gains
      // `disconnected` while Sentinel has no working link.
      const age = Number(fields['info-refresh']);
      return fields['flags'] === 'master' && age > 0 && age < 60_000;
    });
  });

  it('connects straight to a rediss:// URL with the CA file', async () => {
    const redis = client({
      url: `rediss://localhost:${redisPort}`,
      password: PASSWORD,
      tlsCaFile: pki.ca,
      connectionName: 'tls-direct',
    });
    await redis.connect();
    assert.equal(await redis.ping(), 'PONG');
  });

  /** The first error the client reports while connecting (ioredis reports TLS failures as `error` events). */
  async function firstError(redis: Redis): Promise<string> {
    const error = new Promise<Error>((resolve) => redis.once('error', resolve));
    void redis.connect().catch(() => undefined);
    const { message } = await error;
    assert.notEqual(redis.status, 'ready');
    return message;
  }

  it('refuses a Redis whose certificate does not chain to the configured CA', async () => {
    const redis = client({
      url: `rediss://localhost:${redisPort}`,
      password: PASSWORD,
      tlsCaFile: otherCa,
      connectionName: 'tls-wrong-ca',
    });
    assert.match(await firstError(redis), /self-signed certificate in certificate chain|unable to verify/);
  });

  it('refuses Sentinels whose certificate does not chain to the configured CA', async () => {
    // ioredis drops the Sentinel links' own errors; what it reports is that none of them could be used.
    const redis = client({
      url: 'redis://unused',
      sentinels: `localhost:${sentinelPort}`,
      sentinelMaster: MASTER_SET,
      password: PASSWORD,
      tls: true,
      tlsCaFile: otherCa,
      connectionName: 'tls-wrong-ca-sentinel',
    });
    assert.match(await firstError(redis), /All sentinels are unreachable/);
  });

  it('refuses a host name the certificate does not carry', async () => {
    // The certificate names localhost and 127.0.0.1; 127.0.0.2 is the same server under a name it does not carry.
    const redis = client({
      url: `rediss://127.0.0.2:${redisPort}`,
      password: PASSWORD,
      tlsCaFile: pki.ca,
      connectionName: 'tls-wrong-host',
    });
    assert.match(await firstError(redis), /does not match certificate's altnames/);
  });

  it('without TLS the TLS-only server is unreachable (the local stack keeps plaintext, the clusters cannot)', async () => {
    const redis = client({ url: `redis://localhost:${redisPort}`, password: PASSWORD, connectionName: 'plain' });
    await assert.rejects(
      (async () => {
        await redis.connect();
        await redis.ping();
      })(),
    );
  });
});
