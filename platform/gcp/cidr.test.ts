import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertDisjoint, isRfc1918, overlaps, parseCidr } from './cidr';

describe('cidr', () => {
  it('parses a block into its first and last address', () => {
    const r = parseCidr('10.10.0.0/20');
    assert.equal(r.last - r.first + 1, 4096);
    assert.equal(r.prefix, 20);
  });

  it('rejects malformed blocks and blocks with host bits set', () => {
    assert.throws(() => parseCidr('10.10.0.0'), /not an IPv4 CIDR/);
    assert.throws(() => parseCidr('10.300.0.0/16'), /not an IPv4 CIDR/);
    assert.throws(() => parseCidr('10.10.1.0/20'), /host bits set; did you mean 10\.10\.0\.0\/20/);
  });

  it('detects overlap, including a block nested in another', () => {
    assert.ok(overlaps(parseCidr('10.16.0.0/14'), parseCidr('10.18.0.0/16')));
    assert.ok(!overlaps(parseCidr('10.10.0.0/20'), parseCidr('10.10.16.0/20')));
  });

  it('names the overlapping pair', () => {
    assert.throws(
      () => assertDisjoint({ nodes: '10.0.0.0/16', pods: '10.1.0.0/16', services: '10.0.128.0/20' }),
      /nodes 10\.0\.0\.0\/16 and services 10\.0\.128\.0\/20/,
    );
  });

  it('tells RFC 1918 space from public space', () => {
    assert.ok(isRfc1918('172.16.0.0/28'));
    assert.ok(!isRfc1918('172.32.0.0/28'));
    assert.ok(!isRfc1918('8.8.8.0/24'));
  });
});
