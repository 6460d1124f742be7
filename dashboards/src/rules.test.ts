import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { SOURCE_REPO } from '@scalefu/contracts';
import { allAlerts, promtoolTests, rulesDocument, runbookUrl } from './index';
import { RULES_FILE, RULES_TEST_FILE, toYaml } from './yaml';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('promtool not found: apt-get install -y prometheus (it ships promtool)');
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

test('every alert has a severity, a summary, a description and a runbook_url to a runbook section that exists', async () => {
  for (const rule of allAlerts()) {
    assert.match(rule.severity, /^(critical|warning)$/);
    assert.ok(rule.summary.length > 0 && rule.description.length > 0, rule.alert);
    const url = runbookUrl(rule.runbook);
    assert.ok(url.startsWith(SOURCE_REPO.url.replace(/\.git$/, '')), url);
    const file = path.join(REPO_ROOT, 'runbooks', rule.runbook.file);
    const text = await readFile(file, 'utf8').catch(() =>
      assert.fail(`${rule.alert}: runbooks/${rule.runbook.file} is missing`),
    );
    const anchors = [...text.matchAll(/^#+\s+(.+)$/gm)].map((m) =>
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s-]/gu, '')
        .replace(/\s/g, '-'),
    );
    assert.ok(anchors.includes(rule.runbook.anchor), `${rule.alert}: no heading #${rule.runbook.anchor} in ${file}`);
  }
});

test('every alert has a promtool case where it fires and one where it stays quiet', () => {
  for (const rule of allAlerts()) {
    assert.ok(rule.fires.alerts.length > 0, `${rule.alert}: the firing case expects no alert`);
    assert.equal(rule.quiet.alerts.length, 0, `${rule.alert}: the quiet case expects alerts`);
  }
});

test(
  'promtool accepts the rules and every alert fires and stays quiet as its cases say',
  { timeout: 180_000 },
  async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scalefu-rules-'));
    try {
      await writeFile(path.join(dir, RULES_FILE), toYaml(rulesDocument()));
      await writeFile(path.join(dir, RULES_TEST_FILE), toYaml(promtoolTests(RULES_FILE)));
      assert.match(await promtool('check', 'rules', path.join(dir, RULES_FILE)), /SUCCESS: \d+ rules found/);
      assert.match(await promtool('test', 'rules', path.join(dir, RULES_TEST_FILE)), /SUCCESS/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);

test('the committed rules files equal a fresh render (run `npm run dashboards`)', async () => {
  const dir = path.join(REPO_ROOT, 'dashboards', 'rendered');
  await access(dir);
  assert.equal(await readFile(path.join(dir, RULES_FILE), 'utf8'), toYaml(rulesDocument()));
  assert.equal(await readFile(path.join(dir, RULES_TEST_FILE), 'utf8'), toYaml(promtoolTests(RULES_FILE)));
});
