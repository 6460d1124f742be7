import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { RUNTIME_ENV } from '@scalefu/contracts';
import { Pipeline, database, env, serviceUrl } from '../../../test/e2e/pipeline';
import { pipelineRig } from '../rig';
import { formatChaos, runScenario } from '../run';
import { scenarioNamed } from '../scenarios';

// The cheapest meaningful chaos scenario on the test stack (the others need to own the stack: `npm run chaos`).
const pipeline = new Pipeline();
const db = database();

after(async () => {
  await pipeline.stopAll();
  await db.end();
});

test('SIGKILL of the user service between DB commit and offset commit loses and doubles no registration of 500', async () => {
  const rig = pipelineRig({
    pipeline,
    onboarderUrl: serviceUrl('onboarder'),
    mailWebUrl: env('MAIL_WEB_URL'),
    redisUrl: env(RUNTIME_ENV.redisUrl),
    db,
  });
  const result = await runScenario(rig, scenarioNamed('user-kill-after-commit'), { minAcked: 500, ratePerSecond: 40 });
  const line = formatChaos(result);
  console.log(line);
  assert.ok(result.note.includes('user.after-db-commit'), line);
  assert.ok(result.invariant.acked >= 500, line);
  assert.equal(result.invariant.lost, 0, line);
  assert.equal(result.invariant.doubled, 0, line);
  assert.ok(result.passed, line);
});
