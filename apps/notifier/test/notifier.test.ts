import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TOPICS, failureTopicName, fromKafkaRecord } from '@scalefu/contracts';
import { FAILURE_HEADERS, type EventProducer } from '@scalefu/service-kit';
import { startApp, type NotifierApp } from '../src/app';
import { loadNotifierConfig } from '../src/config';
import {
  TopicCollector,
  closedPort,
  connectedProducer,
  eventually,
  kafka,
  logger,
  mailsTo,
  occupiedPort,
  recordingLogger,
  sleep,
  uniqueEmail,
  userCreatedEvent,
  uuidv7,
} from './support';

const CREATED = TOPICS.userCreated.name;
const CONFIRMED = TOPICS.confirmationSent.name;
const DLQ = failureTopicName(CREATED, 'notifier', 'dlq');
const groupId = `scalefu.notifier.test-${randomUUID()}`;

let app: NotifierApp;
let producer: EventProducer;
let collector: TopicCollector;

const baseUrl = (a: NotifierApp) => `http://127.0.0.1:${(a.server.server.address() as { port: number }).port}`;

before(async () => {
  app = await startApp({ ...loadNotifierConfig(), PORT: 0 }, { logger, groupId });
  producer = await connectedProducer();
  collector = await TopicCollector.start([CONFIRMED, DLQ]);
});

after(async () => {
  await Promise.allSettled([app?.stop(), producer?.disconnect(), collector?.stop()]);
});

describe('notifier', () => {
  it('sends exactly one bilingual confirmation e-mail and publishes one user.confirmation.sent', async () => {
    const userID = uuidv7();
    const email = uniqueEmail('po');
    await producer.publish(CREATED, userID, userCreatedEvent(userID, email, 'Po <Dragon Warrior> ปิง'));

    const [mail] = await eventually('the mail', async () =>
      (await mailsTo(email)).length ? mailsTo(email) : undefined,
    );
    const confirmation = await eventually('the confirmation', () => collector.byKey(CONFIRMED, userID)[0]);
    await sleep(1500); // anything extra would have arrived by now
    assert.equal((await mailsTo(email)).length, 1, 'exactly one e-mail');
    assert.equal(collector.byKey(CONFIRMED, userID).length, 1, 'exactly one confirmation');

    assert.ok(mail);
    assert.deepEqual(mail.to, [email.toLowerCase()]);
    assert.match(mail.subject, /ยืนยัน.*confirmed/);
    assert.match(mail.text, /สวัสดีคุณ Po <Dragon Warrior> ปิง/);
    assert.match(mail.text, /Hello Po <Dragon Warrior> ปิง,/);
    assert.match(mail.html, /Po &lt;Dragon Warrior&gt; ปิง/);
    assert.equal(mail.messageId, `confirmation.${userID}@scalefu.local`, 'the Message-ID header');

    const event = fromKafkaRecord(confirmation);
    assert.equal(event.type, TOPICS.confirmationSent.eventType);
    assert.equal(event.source, '/scalefu/notifier');
    assert.deepEqual(Object.keys(event.data as object).sort(), ['messageId', 'sentAt', 'userID']);
    assert.equal((event.data as { userID: string }).userID, userID);
    assert.equal((event.data as { messageId: string }).messageId, `<confirmation.${userID}@scalefu.local>`);
  });

  it('never sends a second e-mail when user.created is delivered again, but republishes the confirmation', async () => {
    const userID = uuidv7();
    const email = uniqueEmail('tigress');
    const event = userCreatedEvent(userID, email, 'Tigress');
    await producer.publish(CREATED, userID, event);
    await producer.publish(CREATED, userID, event); // the same record twice (a redelivery)
    await producer.publish(CREATED, userID, { ...event, id: randomUUID() }); // a re-emitted event, new id

    // Three confirmations prove all three deliveries were handled; they are one event (same id).
    const confirmations = await eventually('three confirmations', () => {
      const found = collector.byKey(CONFIRMED, userID);
      return found.length >= 3 ? found : undefined;
    });
    assert.equal(new Set(confirmations.map((m) => fromKafkaRecord(m).id)).size, 1, 'republish is the same event');
    assert.equal((await mailsTo(email)).length, 1, 'exactly one e-mail');
  });

  it('mails a stored address with a non-ASCII local part too (nodemailer composes it, SMTPUTF8)', async () => {
    const userID = uuidv7();
    const email = uniqueEmail('t\u0456gress'); // Cyrillic і: identity keeps such a local part (email.test.ts)
    await producer.publish(CREATED, userID, userCreatedEvent(userID, email, 'Tigress'));
    await eventually('the confirmation', () => collector.byKey(CONFIRMED, userID)[0]);
    const [mail] = await eventually('the mail', async () =>
      (await mailsTo(email)).length ? mailsTo(email) : undefined,
    );
    assert.deepEqual(mail!.to, [email.toLowerCase()]);
    assert.match(mail!.subject, /ยืนยัน.*confirmed/);
    assert.equal(mail!.messageId, `confirmation.${userID}@scalefu.local`);
  });

  it('reports ready when Kafka, Redis and SMTP answer', async () => {
    const response = await fetch(`${baseUrl(app)}/readyz`);
    const body = (await response.json()) as { checks: Record<string, string> };
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.deepEqual(Object.keys(body.checks).sort(), ['kafka-consumer', 'kafka-producer', 'redis', 'smtp']);
  });

  it('dead-letters the users of an instance whose SMTP is down while the healthy instance keeps mailing', async () => {
    const badSmtp = `smtp://127.0.0.1:${await closedPort()}`;
    const broken = await startApp(
      { ...loadNotifierConfig(), PORT: 0, SMTP_URL: badSmtp },
      { logger, groupId, retry: { attempts: 2, initialDelayMs: 20, maxDelayMs: 50, retryTopicRounds: 0 } },
    );
    try {
      const ready = await fetch(`${baseUrl(broken)}/readyz`);
      const readyBody = (await ready.json()) as { checks: Record<string, string> };
      assert.equal(ready.status, 503);
      assert.match(readyBody.checks['smtp'] ?? '', /smtp unreachable/);

      await waitForMembers(groupId, 2); // both instances own partitions of the same group
      const users = Array.from({ length: 16 }, (_, i) => ({ userID: uuidv7(), email: uniqueEmail(`crane${i}`) }));
      const events = users.map((u) => userCreatedEvent(u.userID, u.email, 'Crane'));
      await Promise.all(events.map((e) => producer.publish(CREATED, e.data.user.userID, e)));

      const outcome = await eventually(
        'every user mailed or dead-lettered',
        async () => {
          const rows = await Promise.all(
            users.map(async (u) => ({
              ...u,
              mails: (await mailsTo(u.email)).length,
              dead: collector.byKey(DLQ, u.userID),
            })),
          );
          return rows.every((r) => r.mails > 0 || r.dead.length > 0) ? rows : undefined;
        },
        30000,
      );
      const mailed = outcome.filter((r) => r.mails > 0);
      const dead = outcome.filter((r) => r.dead.length > 0);
      assert.ok(dead.length > 0, 'some users were on the broken instance');
      assert.ok(mailed.length > 0, 'the healthy instance kept sending');
      for (const row of outcome) {
        assert.ok(row.mails <= 1, 'never more than one e-mail');
        assert.ok(!(row.mails > 0 && row.dead.length > 0), 'a user is either mailed or dead-lettered');
      }
      const record = dead[0]!.dead[0]!;
      const header = (name: string) => record.headers?.[name]?.toString();
      assert.equal(header(FAILURE_HEADERS.originalTopic), CREATED);
      assert.equal(header(FAILURE_HEADERS.consumerGroup), groupId);
      // Only nodemailer's code and the SMTP command, never the server's reply or an address (smtp-failure.ts).
      assert.match(
        header(FAILURE_HEADERS.error) ?? '',
        /^SmtpSendError: smtp send failed: code=E[A-Z]+ .*command=CONN$/,
      );
      assert.ok(!header(FAILURE_HEADERS.error)?.includes(dead[0]!.email), 'no recipient address in the DLQ header');
      assert.equal(header('ce_id'), events.find((e) => e.data.user.userID === dead[0]!.userID)!.id);
    } finally {
      await broken.stop();
    }

    // SMTP "back": with the broken instance gone, new users flow again.
    const userID = uuidv7();
    const email = uniqueEmail('mantis');
    await producer.publish(CREATED, userID, userCreatedEvent(userID, email, 'Mantis'));
    await eventually(
      'the mail after recovery',
      async () => ((await mailsTo(email)).length === 1 ? true : undefined),
      30000,
    );
  });
});

describe('notifier start-up', () => {
  it('closes Redis, SMTP and Kafka again when start-up fails after they connected', async () => {
    const busy = await occupiedPort();
    const recording = recordingLogger();
    try {
      await assert.rejects(
        startApp({ ...loadNotifierConfig(), PORT: busy.port }, { logger: recording.logger, groupId }),
        /EADDRINUSE/,
      );
    } finally {
      await busy.release();
    }
    assert.deepEqual(recording.stoppedSteps(), ['http', 'kafka-producer', 'smtp', 'redis', 'tracing']);
  });
});

async function waitForMembers(group: string, count: number): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await eventually(
      `${count} members in ${group}`,
      async () => {
        const { groups } = await admin.describeGroups([group]);
        const g = groups[0];
        return g && g.state === 'Stable' && g.members.length === count ? true : undefined;
      },
      30000,
    );
  } finally {
    await admin.disconnect();
  }
}
