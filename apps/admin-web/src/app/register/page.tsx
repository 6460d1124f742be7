'use client';
import { PageShell } from '../../components/page-shell';
import { RegisterForm } from '../../components/register-form';
import { useI18n } from '../../lib/i18n';

export default function RegisterPage() {
  const { t } = useI18n();
  return (
    <PageShell title={t('registerTitle')}>
      <RegisterForm />
    </PageShell>
  );
}
