import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { I18nProvider } from '../lib/i18n';
import './globals.css';

export const metadata: Metadata = {
  title: 'ScaleFu — Jade Palace',
  description: 'Jade Palace membership registration and admin console',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="th">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900">
        <I18nProvider>{children}</I18nProvider>
      </body>
    </html>
  );
}
