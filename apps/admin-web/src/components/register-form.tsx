'use client';
import { WEB_PAGES } from '@scalefu/contracts/routes';
import { checkEmail, checkName, checkNationalId, checkThaiPhone, type Checked } from '@scalefu/identity/fields';
import { useRef, useState, type FormEvent } from 'react';
import { fieldMessage } from '../lib/field-messages';
import { ApiError, apiCall } from '../lib/http';
import { useI18n } from '../lib/i18n';
import { Field } from './field';
import { REGISTER_MESSAGES } from '../lib/messages/register';

type FieldName = 'name' | 'email' | 'phoneNumber' | 'nationalId';
const FIELDS: readonly FieldName[] = ['name', 'email', 'phoneNumber', 'nationalId'];

/** The API's own rules (`@scalefu/identity`), run in the page as the person types. */
const CHECKS: Record<FieldName, (raw: string) => Checked<unknown>> = {
  name: checkName,
  email: checkEmail,
  phoneNumber: checkThaiPhone,
  nationalId: checkNationalId,
};

function localError(field: FieldName, value: string): string | undefined {
  if (field === 'nationalId' && value.trim() === '') return undefined;
  const result = CHECKS[field](value);
  return result.ok ? undefined : result.error.message;
}

type Values = Record<FieldName, string>;
type Errors = Partial<Record<FieldName, string>>;

export function RegisterForm() {
  const { t, lang } = useI18n(REGISTER_MESSAGES);
  const [values, setValues] = useState<Values>({ name: '', email: '', phoneNumber: '', nationalId: '' });
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const [banner, setBanner] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // A ref, not only state: two clicks in one frame both see `busy` false, the ref stops the second.
  const inFlight = useRef(false);

  const errorOf = (field: FieldName): string | undefined => {
    const server = serverErrors[field];
    if (server) return fieldMessage(lang, server);
    if (!touched[field]) return undefined;
    const local = localError(field, values[field]);
    return local ? fieldMessage(lang, local) : undefined;
  };

  const change = (field: FieldName, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setServerErrors((e) => ({ ...e, [field]: undefined }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (inFlight.current) return;
    setTouched({ name: true, email: true, phoneNumber: true, nationalId: true });
    const invalid = FIELDS.find((f) => localError(f, values[f]));
    if (invalid) {
      setBanner(t('fixErrors'));
      document.getElementById(invalid)?.focus();
      return;
    }
    inFlight.current = true;
    setBusy(true);
    setBanner(undefined);
    try {
      const body = {
        name: values.name,
        email: values.email,
        phoneNumber: values.phoneNumber,
        ...(values.nationalId.trim() ? { nationalId: values.nationalId } : {}),
      };
      const reply = await apiCall<{ userID: string }>('api', '/api/v1/register', { method: 'POST', body });
      const url = new URL(WEB_PAGES.registrationStatus, window.location.origin);
      url.searchParams.set('id', reply.data.userID);
      if (lang === 'en') url.searchParams.set('lang', 'en');
      window.location.assign(url.toString());
      return;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const byField: Errors = {};
      for (const e of error.fieldErrors)
        if ((FIELDS as string[]).includes(e.field)) byField[e.field as FieldName] = e.message;
      setServerErrors(byField);
      if (error.status === 409) {
        const fields = Object.keys(byField) as FieldName[];
        setBanner(`${t('duplicateSummary')}: ${fields.map((f) => t(f)).join(', ')}`);
      } else if (error.status === 429) setBanner(t('rateLimited', { s: error.retryAfter ?? 60 }));
      else if (error.status === 400) setBanner(t('fixErrors'));
      else if (error.isNetwork) setBanner(t('networkError'));
      else setBanner(t('serverError'));
      const first = FIELDS.find((f) => byField[f]);
      if (first) document.getElementById(first)?.focus();
    }
    inFlight.current = false;
    setBusy(false);
  }

  return (
    <form noValidate onSubmit={submit} className="flex max-w-lg flex-col gap-4" aria-describedby="register-intro">
      <p id="register-intro">{t('registerIntro')}</p>
      {banner ? (
        <p
          role="alert"
          data-testid="form-banner"
          className="rounded border border-red-700 bg-red-50 px-3 py-2 text-red-900"
        >
          {banner}
        </p>
      ) : null}
      <Field
        id="name"
        label={t('name')}
        autoComplete="name"
        required
        value={values.name}
        error={errorOf('name')}
        onChange={(e) => change('name', e.target.value)}
        onBlur={() => setTouched((s) => ({ ...s, name: true }))}
      />
      <Field
        id="email"
        label={t('email')}
        type="email"
        autoComplete="email"
        required
        value={values.email}
        error={errorOf('email')}
        onChange={(e) => change('email', e.target.value)}
        onBlur={() => setTouched((s) => ({ ...s, email: true }))}
      />
      <Field
        id="phoneNumber"
        label={t('phoneNumber')}
        type="tel"
        autoComplete="tel"
        inputMode="tel"
        required
        hint={t('phoneHint')}
        value={values.phoneNumber}
        error={errorOf('phoneNumber')}
        onChange={(e) => change('phoneNumber', e.target.value)}
        onBlur={() => setTouched((s) => ({ ...s, phoneNumber: true }))}
      />
      <Field
        id="nationalId"
        label={t('nationalId')}
        inputMode="numeric"
        autoComplete="off"
        hint={t('nationalIdHint')}
        value={values.nationalId}
        error={errorOf('nationalId')}
        onChange={(e) => change('nationalId', e.target.value)}
        onBlur={() => setTouched((s) => ({ ...s, nationalId: true }))}
      />
      <button
        type="submit"
        disabled={busy}
        aria-busy={busy}
        className="rounded bg-emerald-800 px-4 py-2 font-semibold text-white hover:bg-emerald-900 disabled:opacity-60"
      >
        {busy ? t('submitting') : t('submit')}
      </button>
    </form>
  );
}
