import { checkEmail, checkName, checkNationalId, checkThaiPhone, maskNationalId, nationalIdHmac } from './identity';
import type { Checked, FieldError } from './identity';

/** What the admin API may write about a person, already validated and canonicalised. */
export interface PersonFields {
  readonly name: string;
  /** Deliverable form: NFKC, domain lower-case A-label (docs/adr/0030). */
  readonly email: string;
  readonly emailCanonical: string;
  readonly phoneE164: string;
}

export interface NewPerson extends PersonFields {
  readonly nationalIdHmac?: string;
  readonly nationalIdMasked?: string;
}

export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldError[] };

function collect<T>(checks: Record<string, Checked<unknown> | undefined>, build: () => T): Outcome<T> {
  const errors = Object.values(checks).flatMap((c) => (c && !c.ok ? [c.error] : []));
  return errors.length ? { ok: false, errors } : { ok: true, value: build() };
}

function valueOf<T>(checked: Checked<T>): T {
  if (!checked.ok) throw new Error('valueOf called on a refused check');
  return checked.value;
}

/** Validate an admin-created person with the same rules as public registration (ARCHITECTURE §3). */
export function checkNewPerson(
  input: { name: string; email: string; phoneNumber: string; nationalId?: string | undefined },
  hmacKey: string,
): Outcome<NewPerson> {
  const name = checkName(input.name);
  const email = checkEmail(input.email);
  const phone = checkThaiPhone(input.phoneNumber);
  const nid = input.nationalId === undefined ? undefined : checkNationalId(input.nationalId);
  return collect({ name, email, phone, nid }, () => {
    const digits = nid ? valueOf(nid) : undefined;
    return {
      name: valueOf(name),
      email: valueOf(email).email,
      emailCanonical: valueOf(email).canonical,
      phoneE164: valueOf(phone),
      ...(digits ? { nationalIdHmac: nationalIdHmac(digits, hmacKey), nationalIdMasked: maskNationalId(digits) } : {}),
    };
  });
}

/** Apply a PUT/PATCH body to the current fields: only name, email and phone number are editable. */
export function applyPersonChange(
  current: PersonFields,
  change: { name?: string | undefined; email?: string | undefined; phoneNumber?: string | undefined },
): Outcome<PersonFields> {
  const name = change.name === undefined ? undefined : checkName(change.name);
  const email = change.email === undefined ? undefined : checkEmail(change.email);
  const phone = change.phoneNumber === undefined ? undefined : checkThaiPhone(change.phoneNumber);
  return collect({ name, email, phone }, () => ({
    name: name ? valueOf(name) : current.name,
    email: email ? valueOf(email).email : current.email,
    emailCanonical: email ? valueOf(email).canonical : current.emailCanonical,
    phoneE164: phone ? valueOf(phone) : current.phoneE164,
  }));
}

export function samePerson(a: PersonFields, b: PersonFields): boolean {
  return (
    a.name === b.name && a.email === b.email && a.emailCanonical === b.emailCanonical && a.phoneE164 === b.phoneE164
  );
}
