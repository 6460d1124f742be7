import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdktf';
import { onlyResourceOf } from '../testing';
import { CloudArmorPolicy, type CloudArmorPolicyProps } from './cloud-armor-policy';

const props: CloudArmorPolicyProps = { name: 'api', rateLimitCount: 300, rateLimitIntervalSec: 60 };
const synth = (p: Partial<CloudArmorPolicyProps> = {}) =>
  Testing.synthScope((s) => new CloudArmorPolicy(s, 'armor', { ...props, ...p }));
type Rule = {
  priority: number;
  action: string;
  preview?: boolean;
  match: { expr?: { expression: string } };
  rate_limit_options?: { enforce_on_key: string };
};
const rules = (s: string) => (onlyResourceOf(s, 'google_compute_security_policy') as { rule: Rule[] }).rule;

describe('CloudArmorPolicy', () => {
  it('rejects an interval Cloud Armor does not support', () => {
    assert.throws(() => synth({ rateLimitIntervalSec: 45 }), /rateLimitIntervalSec 45 must be one of/);
  });

  it('rejects a zero rate limit and an out-of-range sensitivity', () => {
    assert.throws(() => synth({ rateLimitCount: 0 }), /positive integer/);
    assert.throws(() => synth({ wafSensitivity: 5 }), /1-4/);
  });

  it('keys the throttle on the connecting IP and ends with a default allow', () => {
    const r = rules(synth());
    assert.equal(r.find((x) => x.action === 'throttle')?.rate_limit_options?.enforce_on_key, 'IP');
    const last = r.reduce((a, b) => (a.priority > b.priority ? a : b));
    assert.deepEqual([last.priority, last.action], [2147483647, 'allow']);
  });

  it('puts every rule in preview when asked, for tuning without blocking', () => {
    assert.ok(
      rules(synth({ preview: true }))
        .filter((x) => x.action !== 'allow')
        .every((x) => x.preview === true),
    );
  });

  it('uses the requested WAF sensitivity in every expression', () => {
    for (const r of rules(synth({ wafSensitivity: 2 })).filter((x) => x.match.expr)) {
      assert.match(r.match.expr!.expression, /\{'sensitivity': 2\}\)$/);
    }
  });
});
