'use client';
import { useEffect, useRef, useState } from 'react';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../lib/i18n';
import { Field } from '../field';
import { Dialog } from './dialog';
import { ADMIN_MESSAGES } from '../../lib/messages/admin';

/** Answers the API's `STEP_UP_REQUIRED` by asking for a fresh TOTP code; the call is then retried once. */
export function StepUpPrompt() {
  const { setStepUpPrompt } = useAuth();
  const { t } = useI18n(ADMIN_MESSAGES);
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState('');
  const resolver = useRef<((code: string | null) => void) | null>(null);
  useEffect(() => {
    setStepUpPrompt(
      () =>
        new Promise<string | null>((resolve) => {
          resolver.current = resolve;
          setCode('');
          setOpen(true);
        }),
    );
    return () => setStepUpPrompt(null);
  }, [setStepUpPrompt]);
  const finish = (value: string | null) => {
    setOpen(false);
    resolver.current?.(value);
    resolver.current = null;
  };
  if (!open) return null;
  return (
    <Dialog title={t('stepUpTitle')} onCancel={() => finish(null)}>
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          finish(code.trim());
        }}
      >
        <p>{t('stepUpIntro')}</p>
        <Field
          id="step-up-code"
          label={t('code')}
          autoComplete="one-time-code"
          inputMode="numeric"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoFocus
        />
        <div className="flex gap-2">
          <button type="submit" className="rounded bg-emerald-800 px-4 py-2 text-white">
            {t('verify')}
          </button>
          <button type="button" className="rounded border px-4 py-2" onClick={() => finish(null)}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
