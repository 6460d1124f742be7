import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RUNTIME_ENV, localEdgeOrigin } from '@scalefu/contracts';
import { ConfigError } from '@scalefu/service-kit';
import { loadNotifierConfig } from './config';

const refusesBaseUrl = (pattern: RegExp) => (e: unknown) =>
  e instanceof ConfigError && e.message.includes(RUNTIME_ENV.publicBaseUrl) && pattern.test(e.message);

describe('notifier config', () => {
  it('defaults the sender and the status-link origin to the local stack', () => {
    const config = loadNotifierConfig({});
    assert.equal(config[RUNTIME_ENV.publicBaseUrl], localEdgeOrigin('web'));
    assert.match(config[RUNTIME_ENV.mailFrom], /no-reply@scalefu\.local/);
  });

  it('reads the sender and the public origin from MAIL_FROM and PUBLIC_BASE_URL', () => {
    const config = loadNotifierConfig({
      [RUNTIME_ENV.environment]: 'prod',
      [RUNTIME_ENV.publicBaseUrl]: 'https://register.scalefu.example',
      [RUNTIME_ENV.mailFrom]: 'Jade Palace <no-reply@scalefu.example>',
    });
    assert.equal(config[RUNTIME_ENV.publicBaseUrl], 'https://register.scalefu.example');
    assert.equal(config[RUNTIME_ENV.mailFrom], 'Jade Palace <no-reply@scalefu.example>');
  });

  it('refuses to start outside the local stack when PUBLIC_BASE_URL is left at its default', () => {
    for (const environment of ['dev', 'prod']) {
      assert.throws(
        () => loadNotifierConfig({ [RUNTIME_ENV.environment]: environment }),
        refusesBaseUrl(/must be set to the public origin/),
      );
    }
  });

  it('refuses to start outside the local stack when PUBLIC_BASE_URL points at this machine', () => {
    for (const url of ['http://127.0.0.1:8080', 'https://localhost', 'http://127.1.2.3', 'http://[::1]:8080']) {
      assert.throws(
        () => loadNotifierConfig({ [RUNTIME_ENV.environment]: 'dev', [RUNTIME_ENV.publicBaseUrl]: url }),
        refusesBaseUrl(/must not point at/),
        url,
      );
    }
  });

  it('accepts a loopback PUBLIC_BASE_URL on the local stack', () => {
    const config = loadNotifierConfig({ [RUNTIME_ENV.publicBaseUrl]: 'http://localhost:8080' });
    assert.equal(config[RUNTIME_ENV.publicBaseUrl], 'http://localhost:8080');
  });

  it('refuses fewer mails in flight than pooled SMTP connections, naming both', () => {
    const { smtpPoolSize, smtpMaxInFlight } = RUNTIME_ENV;
    assert.throws(
      () => loadNotifierConfig({ [smtpPoolSize]: '10', [smtpMaxInFlight]: '9' }),
      (e: unknown) =>
        e instanceof ConfigError && new RegExp(`${smtpMaxInFlight}.*${smtpPoolSize} \\(10\\)`).test(e.message),
    );
    assert.equal(loadNotifierConfig({ [smtpPoolSize]: '10', [smtpMaxInFlight]: '10' })[smtpMaxInFlight], 10);
    const defaults = loadNotifierConfig({});
    assert.ok(defaults[smtpMaxInFlight] >= defaults[smtpPoolSize]);
  });

  it('refuses a PUBLIC_BASE_URL that is not a URL, in any environment', () => {
    assert.throws(
      () => loadNotifierConfig({ [RUNTIME_ENV.publicBaseUrl]: 'http://' }),
      refusesBaseUrl(/not a valid URL/),
    );
  });
});
