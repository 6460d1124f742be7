import { readFileSync } from 'node:fs';

/**
 * The kernel's count of handshake packets (SYNs, final ACKs) it dropped because a listening socket's accept queue was
 * full (`TcpExt ListenOverflows`, this network namespace, since boot; a retried SYN counts again). A client whose SYN
 * is dropped retries after 1, 3, 7, 15 s: a burst of new connections at a busy server shows as multi-second ingest
 * latency, and some end in ECONNRESET.
 */
export function listenOverflows(netstat = readFileSync('/proc/net/netstat', 'utf8')): number {
  const lines = netstat.split('\n').filter((line) => line.startsWith('TcpExt:'));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  const at = names.indexOf('ListenOverflows');
  const value = Number(values[at]);
  if (at < 1 || !Number.isInteger(value)) throw new Error('/proc/net/netstat has no TcpExt ListenOverflows counter');
  return value;
}
