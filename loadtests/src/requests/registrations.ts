import { PUBLIC_ROUTE_TEMPLATES } from '@scalefu/contracts';
import { thaiIdCheckDigit } from '@scalefu/identity';
import { randomInt } from 'node:crypto';
import { jsonPost, type VegetaTarget } from '../engine/targets';

/** A registration body as POST /api/v1/register takes it. */
export interface Registration {
  readonly name: string;
  readonly email: string;
  readonly phoneNumber: string;
  readonly nationalId: string;
}

const NAMES = ['สมชาย ใจดี', 'Po Ping', 'Tigress', 'มานี มีนา', 'Master Shifu', 'Viper', 'Crane Mantis', 'สมศรี รักไทย'];
/** Thai mobile prefixes libphonenumber accepts (06x, 08x, 09x); each is followed by eight more digits. */
const MOBILE_PREFIXES = ['06', '08', '09'];
const PHONE_SPACE = MOBILE_PREFIXES.length * 100_000_000;

/** A random valid national ID (13 digits, Thai check digit). */
export function randomNationalId(): string {
  const first12 = `${1 + randomInt(8)}${String(randomInt(100_000_000_000)).padStart(11, '0')}`;
  return `${first12}${thaiIdCheckDigit(first12)}`;
}

/**
 * Fresh, valid and distinct registrations of one run. E-mails carry the run tag, so the run's rows and mails are
 * found again; phone numbers walk a counter seeded from the clock (1000 numbers a second of wall time), so runs
 * against a kept database do not reuse each other's numbers unless one outpaced 1000 registrations a second.
 */
export class RegistrationFactory {
  private next: number;

  /** @param runTag lower-case letters and digits naming the run, e.g. `r5k2m1`. */
  constructor(readonly runTag: string) {
    if (!/^[a-z0-9]{4,20}$/.test(runTag))
      throw new Error(`run tag must be 4-20 lower-case letters or digits: ${runTag}`);
    this.next = (Math.floor(Date.now() / 1000) * 1000) % PHONE_SPACE;
  }

  /** Every e-mail of this run contains this text (case-insensitively), and no other run's does. */
  get emailMarker(): string {
    return `.${this.runTag}.`;
  }

  registration(): Registration {
    const n = this.next;
    this.next = (this.next + 1) % PHONE_SPACE;
    const prefix = MOBILE_PREFIXES[Math.floor(n / 100_000_000)]!;
    return {
      name: NAMES[n % NAMES.length]!,
      email: `load${this.emailMarker}${n.toString(36)}@example.co.th`,
      phoneNumber: `${prefix}${String(n % 100_000_000).padStart(8, '0')}`,
      nationalId: randomNationalId(),
    };
  }
}

/** The register URL on a base URL (`http://127.0.0.1:8080`). */
export function registerUrl(baseUrl: string): string {
  return new URL(PUBLIC_ROUTE_TEMPLATES.register, baseUrl).toString();
}

/** Endless register targets, one fresh registration each. */
export function* registrationTargets(baseUrl: string, factory: RegistrationFactory): Generator<VegetaTarget> {
  const url = registerUrl(baseUrl);
  for (;;) yield jsonPost(url, factory.registration());
}

/**
 * One person written many ways that all normalise to the same identity: e-mail case and fullwidth (NFKC) forms,
 * phone with spaces, dashes and +66, national ID with separators. The dedup must let exactly one through.
 */
export function duplicateVariants(person: Registration, count: number): Registration[] {
  const [local, domain] = person.email.split('@') as [string, string];
  const fullwidth = (text: string) =>
    [...text].map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
  const national = person.phoneNumber.slice(1);
  const id = person.nationalId;
  const emails = [
    person.email,
    person.email.toUpperCase(),
    `${local}@${domain.toUpperCase()}`,
    `${fullwidth(local)}@${domain}`,
    ` ${person.email} `,
  ];
  const phones = [
    person.phoneNumber,
    `+66${national}`,
    `+66 ${national.slice(0, 2)} ${national.slice(2, 5)} ${national.slice(5)}`,
    `${person.phoneNumber.slice(0, 3)}-${person.phoneNumber.slice(3, 6)}-${person.phoneNumber.slice(6)}`,
  ];
  const ids = [
    id,
    `${id[0]}-${id.slice(1, 5)}-${id.slice(5, 10)}-${id.slice(10, 12)}-${id[12]}`,
    `${id.slice(0, 6)} ${id.slice(6)}`,
  ];
  return Array.from({ length: count }, (_, i) => ({
    name: person.name,
    email: emails[i % emails.length]!,
    phoneNumber: phones[Math.floor(i / emails.length) % phones.length]!,
    nationalId: ids[i % ids.length]!,
  }));
}
