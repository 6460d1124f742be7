import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { TOPICS } from '@scalefu/contracts';
import { createRedis, type BatchItem, type EventProducer, type Redis } from '@scalefu/service-kit';
import { Registry } from 'prom-client';
import { userCreatedConsumer } from '../src/consumers/user-created';
import { createMailer, type Mailer } from '../src/mail/smtp';
import { NotifierMetrics } from '../src/metrics';
import { SentConfirmations } from '../src/store/sent-confirmations';
import { countMailsTo } from '../../../scripts/lib/stack/mail-inbox';
import { connectedProducer, env, eventually, logger, uniqueEmail, userCreatedEvent, uuidv7 } from './support';

let redis: Redis;
let producer: EventProducer;
let mailer: Mailer;

before(async () => {
  redis = createRedis({ url: env('REDIS_URL'), connectionName: 'notifier-in-flight-test' }, logger);
  await redis.connect();
  producer = await connectedProducer();
  mailer = createMailer({ url: env('SMTP_URL'), poolSize: 2 }, logger);
});

after(async () => {
  mailer?.close();
  await Promise.allSettled([producer?.disconnect(), redis?.quit()]);
});

it('a batch of 40 users is claimed and mailed with at most SMTP_MAX_IN_FLIGHT sends outstanding (real Redis, Kafka, mailpit)', async () => {
  // The real transport, watched: how many sendMail calls have started and not yet finished.
  let outstanding = 0;
  let mostOutstanding = 0;
  const send = mailer.sendMail.bind(mailer);
  const watched = Object.assign(Object.create(mailer) as Mailer, {
    sendMail: (async (...args: Parameters<Mailer['sendMail']>) => {
      mostOutstanding = Math.max(mostOutstanding, ++outstanding);
      try {
        return await (send as (...a: typeof args) => Promise<unknown>)(...args);
      } finally {
        outstanding--;
      }
    }) as Mailer['sendMail'],
  });
  // The real store, watched: the leases are claimed a chunk at a time, so none waits behind the whole batch.
  const store = new SentConfirmations(redis, 30);
  const claimed: number[] = [];
  const claimAll = store.claimAll.bind(store);
  store.claimAll = (entries) => (claimed.push(entries.length), claimAll(entries));
  const subscription = userCreatedConsumer({
    store,
    mailer: watched,
    producer,
    metrics: new NotifierMetrics(new Registry()),
    mailFrom: 'ScaleFu Jade Palace <no-reply@scalefu.local>',
    publicBaseUrl: 'https://app.scalefu.localhost:8443',
    maxMailsInFlight: 3,
  });
  const users = Array.from({ length: 40 }, () => ({ userID: uuidv7(), email: uniqueEmail('inflight') }));
  const items: BatchItem<ReturnType<typeof userCreatedEvent>>[] = users.map((u, i) => ({
    event: userCreatedEvent(u.userID, u.email, `Tigress ${i}`),
    offset: String(i),
    traceparent: undefined,
  }));

  await subscription.handleBatch!(items, { topic: TOPICS.userCreated.name, partition: 0, log: logger });

  assert.equal(mostOutstanding, 3, 'the bound was reached and never passed');
  assert.equal(outstanding, 0);
  assert.deepEqual(claimed, [...Array<number>(13).fill(3), 1], 'leases claimed three at a time');
  const emails = users.map((u) => u.email);
  const counts = await eventually('all 40 mails in mailpit', async () => {
    const found = await countMailsTo(env('MAIL_WEB_URL'), emails);
    return found.size === emails.length ? found : undefined;
  });
  assert.deepEqual([...new Set(counts.values())], [1], 'each user mailed exactly once');
});
