/** IPv4 CIDR arithmetic for constructor validation (overlapping ranges fail at synth, not at apply). */

/** A parsed IPv4 CIDR block as an inclusive integer range. */
export interface Ipv4Range {
  readonly cidr: string;
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`; throws when it is malformed or has host bits set (GCP rejects those too). */
export function parseCidr(cidr: string): Ipv4Range {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) throw new Error(`"${cidr}" is not an IPv4 CIDR block (a.b.c.d/n)`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`"${cidr}" is not an IPv4 CIDR block`);
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (ip % size !== 0)
    throw new Error(`"${cidr}" has host bits set; did you mean ${formatIp(ip - (ip % size))}/${prefix}?`);
  return { cidr, first: ip, last: ip + size - 1, prefix };
}

function formatIp(ip: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(ip / 2 ** s) % 256).join('.');
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** Throws naming the first pair of overlapping blocks. Keys name what each block is for. */
export function assertDisjoint(blocks: Readonly<Record<string, string>>): void {
  const parsed = Object.entries(blocks).map(([name, cidr]) => ({ name, range: parseCidr(cidr) }));
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const a = parsed[i]!;
      const b = parsed[j]!;
      if (overlaps(a.range, b.range)) {
        throw new Error(`CIDR ranges overlap: ${a.name} ${a.range.cidr} and ${b.name} ${b.range.cidr}`);
      }
    }
  }
}

/** True when the block lies inside RFC 1918 private space (what VPC-internal ranges must use here). */
export function isRfc1918(cidr: string): boolean {
  const r = parseCidr(cidr);
  return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']
    .map(parseCidr)
    .some((p) => r.first >= p.first && r.last <= p.last);
}
