import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { LOCAL_RULES_FILE, prometheusConfig } from './prometheus';

test('the local Prometheus config scrapes every service and loads the rendered alert rules, and promtool accepts it', async () => {
  const config = prometheusConfig({ onboarder: 18080, user: 18081 }, LOCAL_RULES_FILE, '/tmp/load-targets.json');
  assert.match(config, /scrape_interval: 5s\n/);
  assert.match(
    config,
    /job_name: vegeta\n {4}scrape_interval: 5s\n {4}file_sd_configs:\n {6}- files: \["\/tmp\/load-targets\.json"\]/,
  );
  assert.match(config, /rule_files:\n {2}- ".*dashboards\/rendered\/rules\.yaml"/);
  assert.match(config, /targets: \['127\.0\.0\.1:18080'\]/);
  const dir = await mkdtemp(path.join(tmpdir(), 'scalefu-prom-'));
  try {
    const file = path.join(dir, 'prometheus.yml');
    await writeFile(file, config);
    const { stdout } = await promisify(execFile)('promtool', ['check', 'config', file]);
    assert.match(stdout, new RegExp(`SUCCESS: \\d+ rules found`));
    assert.ok(stdout.includes(LOCAL_RULES_FILE));
    assert.match(
      prometheusConfig({ user: 18081 }, LOCAL_RULES_FILE, undefined, 15),
      /scrape_interval: 15s\n {2}evaluation_interval: 15s/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
