'use client';
import { PageShell } from '../../components/page-shell';
import { RegisterForm } from '../../components/register-form';

export default function RegisterPage() {
  return (
    <PageShell title="registerTitle">
      <RegisterForm />
    </PageShell>
  );
}
