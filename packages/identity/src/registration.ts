import { checkEmail } from './email';
import { checkName } from './name';
import { maskNationalId } from './masking';
import { checkNationalId } from './national-id';
import { nationalIdHmac } from './national-id-hmac';
import { checkThaiPhone } from './phone';
import type { Checked, FieldError } from './result';

/** A person's identity fields as a client sends them (the register body, the admin create/replace body). */
export interface IdentityInput {
  readonly name: string;
  readonly email: string;
  readonly phoneNumber: string;
  readonly nationalId?: string | undefined;
}

/** The same fields checked and normalised, plus the dedup keys (the contracts' `IdentityKeys`). */
export interface CheckedIdentity {
  /** Trimmed, otherwise as sent. */
  readonly name: string;
  /** Deliverable form: trimmed, NFKC, domain lower-case A-label (`checkEmail`). */
  readonly email: string;
  /** E.164. */
  readonly phoneNumber: string;
  /** Present when a national ID was sent; the clear ID never leaves the service that checked it. */
  readonly nationalIdMasked?: string;
  readonly identity: { readonly email: string; readonly phone: string; readonly nationalIdHmac?: string };
}

export type IdentityCheck = { ok: true; value: CheckedIdentity } | { ok: false; errors: FieldError[] };

/** Check every field at once so the client learns all its mistakes in one answer. */
export function checkIdentity(input: IdentityInput, nationalIdHmacKey: string): IdentityCheck {
  const errors: FieldError[] = [];
  const name = checkName(input.name);
  const email = checkEmail(input.email);
  const phone = checkThaiPhone(input.phoneNumber);
  const nationalId = input.nationalId === undefined ? undefined : checkNationalId(input.nationalId);
  for (const c of [name, email, phone, nationalId]) if (c && !c.ok) errors.push(c.error);
  if (!name.ok || !email.ok || !phone.ok || (nationalId && !nationalId.ok)) return { ok: false, errors };
  const id = nationalId?.ok ? nationalId.value : undefined;
  return {
    ok: true,
    value: {
      name: name.value,
      email: email.value.email,
      phoneNumber: phone.value,
      ...(id ? { nationalIdMasked: maskNationalId(id) } : {}),
      identity: {
        email: email.value.canonical,
        phone: phone.value,
        ...(id ? { nationalIdHmac: nationalIdHmac(id, nationalIdHmacKey) } : {}),
      },
    },
  };
}

const FIELD_CHECKS: Readonly<Record<keyof IdentityInput, (raw: string) => Checked<unknown>>> = {
  name: checkName,
  email: checkEmail,
  phoneNumber: checkThaiPhone,
  nationalId: checkNationalId,
};

/**
 * The domain's complaints about each identity field of an unvalidated body that is a string, field by field; used
 * to report every bad field at once when the body also breaks its schema.
 */
export function identityFieldErrors(body: unknown): FieldError[] {
  if (typeof body !== 'object' || body === null) return [];
  const errors: FieldError[] = [];
  for (const [field, check] of Object.entries(FIELD_CHECKS)) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value !== 'string') continue;
    const result = check(value);
    if (!result.ok) errors.push(result.error);
  }
  return errors;
}
