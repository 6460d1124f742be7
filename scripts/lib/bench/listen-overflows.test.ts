import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listenOverflows } from './listen-overflows';

test('listen overflows are read from the TcpExt lines of /proc/net/netstat', () => {
  const netstat = [
    'TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops',
    'TcpExt: 0 0 34673 34680',
    'MPTcpExt: MPCapableSYNRX ListenOverflows',
    'MPTcpExt: 0 0',
    '',
  ].join('\n');
  assert.equal(listenOverflows(netstat), 34673);
});

test('a netstat without the counter is an error, not a zero', () => {
  assert.throws(() => listenOverflows('IpExt: InNoRoutes\nIpExt: 0\n'), /no TcpExt ListenOverflows/);
});

test('this box reports the counter', () => {
  assert.ok(Number.isInteger(listenOverflows()) && listenOverflows() >= 0);
});
