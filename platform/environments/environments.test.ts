/**
 * The environment files are the only place dev and prod differ: an edit to `prod.ts` reaches both the rendered
 * manifests and the Terraform JSON (and nothing of dev), and no `env === 'prod'`-style branch creeps back into platform/.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { buildCluster } from '../k8s/cluster';
import { renderApp } from '../k8s/render';
import { synthAll } from '../gcp/synth';
import { PLATFORM_ENVIRONMENTS, type Environment } from './index';

const here = import.meta.dirname;
const platformRoot = resolve(here, '..');

/** Loads a copy of `prod.ts` with `edit` applied to its source, as if someone had changed the file. */
async function editedProd(edit: (source: string) => string): Promise<Environment> {
  const source = readFileSync(join(here, 'prod.ts'), 'utf8');
  const changed = edit(source);
  assert.notEqual(changed, source, 'the edit must change prod.ts');
  const copy = join(here, `.prod-edited-${process.pid}.ts`);
  writeFileSync(copy, changed);
  try {
    const mod = (await import(pathToFileURL(copy).href)) as { prod: Environment };
    return mod.prod;
  } finally {
    rmSync(copy, { force: true });
  }
}

/** An environment-name comparison, a `case 'prod':` or an `isProd` flag. */
const ENV_BRANCH =
  /(===?|!==?)\s*['"`](dev|prod|local)['"`]|['"`](dev|prod|local)['"`]\s*(===?|!==?)|case\s+['"`](dev|prod)['"`]|\bis(Prod|Dev)\b/;

const manifests = (env: Environment) =>
  renderApp(buildCluster(env))
    .map((f) => f.content)
    .join('\n');

describe('environment files', () => {
  it('an edit to prod.ts reaches clusters/prod and the prod Terraform JSON, and leaves dev alone', async () => {
    const cidr = PLATFORM_ENVIRONMENTS.prod.settings.controlPlaneCidr;
    const moved = '172.16.0.48/28';
    const prod = await editedProd((s) =>
      s
        .replace(`controlPlaneCidr: '${cidr}'`, `controlPlaneCidr: '${moved}'`)
        .replace(/maxReplicas: 30\b/, 'maxReplicas: 20'),
    );
    assert.equal(prod.settings.controlPlaneCidr, moved);

    const before = manifests(PLATFORM_ENVIRONMENTS.prod);
    const after = manifests(prod);
    assert.ok(before.includes(cidr) && !after.includes(cidr), 'the old control-plane CIDR is gone from clusters/prod');
    assert.ok(after.includes(moved), 'the NetworkPolicies allow the new control-plane CIDR');
    assert.match(after, /maxReplicas: 20/, 'the onboarder HPA follows the edited maxReplicas');

    const dir = mkdtempSync(join(tmpdir(), 'scalefu-env-'));
    try {
      const original = synthAll(join(dir, 'a'));
      const edited = synthAll(join(dir, 'b'), { ...PLATFORM_ENVIRONMENTS, prod });
      assert.ok(original.prod.includes(`"master_ipv4_cidr_block": "${cidr}"`));
      assert.ok(edited.prod.includes(`"master_ipv4_cidr_block": "${moved}"`), 'the GKE cluster reserves the new CIDR');
      assert.equal(edited.dev, original.dev, 'dev Terraform is untouched');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dev and prod state their own identity and release block; everything else comes from base.ts', () => {
    for (const name of ['dev', 'prod'] as const) {
      const source = readFileSync(join(here, `${name}.ts`), 'utf8');
      assert.match(source, /deriveEnvironment\(base, \{/, `${name}.ts is a delta on base`);
      assert.equal(source.split('// release-digests:begin').length, 2, `${name}.ts has one release block`);
      assert.equal(PLATFORM_ENVIRONMENTS[name].settings.name, name);
    }
  });

  it('no environment-name branch in platform/ (the difference lives in the environment files only)', () => {
    const branch = ENV_BRANCH;
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!['node_modules', 'terraform', '.gen', 'imports'].includes(entry.name)) walk(full);
        } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !full.includes('/testing/')) {
          readFileSync(full, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (branch.test(line)) offenders.push(`${relative(platformRoot, full)}:${i + 1}: ${line.trim()}`);
            });
        }
      }
    };
    walk(platformRoot);
    assert.deepEqual(offenders, []);
  });

  it('the guard itself catches a branch', () => {
    for (const line of ["const prod = env === 'prod';", "if ('dev' !== name)", "case 'prod':", 'const isProd = true;'])
      assert.ok(ENV_BRANCH.test(line), line);
    assert.ok(!ENV_BRANCH.test('const dir = `clusters/${env}`;'));
  });
});
