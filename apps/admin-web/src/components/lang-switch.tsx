'use client';
import { useI18n } from '../lib/i18n';

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  // The visible name is the accessible name (WCAG 2.5.3); `lang` makes screen readers say it in its own language.
  return (
    <button
      type="button"
      lang={lang === 'th' ? 'en' : 'th'}
      onClick={() => setLang(lang === 'th' ? 'en' : 'th')}
      className="rounded border border-slate-400 px-3 py-1 text-sm hover:bg-slate-100"
    >
      {t('switchLang')}
    </button>
  );
}
