/**
 * Valid, unique registration bodies for the attack and chaos suites: a run-unique tag in every e-mail, phone
 * numbers and national IDs drawn so reruns against a kept database do not collide.
 */
import { thaiIdCheckDigit } from '@scalefu/identity';
import { randomInt } from 'node:crypto';

export interface Person {
  name: string;
  email: string;
  phoneNumber: string;
  nationalId?: string;
}

/** In every e-mail this process makes: lets a suite find (only) the rows it made. */
export const RUN_TAG = `r${Date.now().toString(36)}${randomInt(0, 1296).toString(36)}`;
let serial = 0;

/** A Thai mobile number libphonenumber accepts (08x-xxx-xxxx), random across runs. */
export function uniquePhone(): string {
  return `08${randomInt(1, 10)}${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

export function uniqueNationalId(): string {
  const first12 = `${randomInt(1, 9)}${String(randomInt(0, 1e11)).padStart(11, '0')}`;
  return `${first12}${thaiIdCheckDigit(first12)}`;
}

export function uniqueEmail(tag: string): string {
  serial += 1;
  return `${tag}.${RUN_TAG}.${serial}.${randomInt(0, 1e9).toString(36)}@example.co.th`;
}

export function newPerson(tag: string, withNationalId = false): Person {
  return {
    name: `Attack Test ${tag}`,
    email: uniqueEmail(tag),
    phoneNumber: uniquePhone(),
    ...(withNationalId ? { nationalId: uniqueNationalId() } : {}),
  };
}
