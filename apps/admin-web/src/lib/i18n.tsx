'use client';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { COMMON_MESSAGES, type Lang, type Messages } from './messages/common';

type Vars = Record<string, string | number>;

interface LangState {
  readonly lang: Lang;
  readonly setLang: (lang: Lang) => void;
}

interface I18n<D extends Messages> extends LangState {
  readonly t: (key: keyof D | keyof typeof COMMON_MESSAGES, vars?: Vars) => string;
}

const LangContext = createContext<LangState | null>(null);

/** Thai first; `?lang=en` opens the English page, and the switch writes it to the URL so a reload keeps it. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>('th');
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get('lang') === 'en') setLangState('en');
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    const url = new URL(window.location.href);
    if (next === 'en') url.searchParams.set('lang', 'en');
    else url.searchParams.delete('lang');
    window.history.replaceState(window.history.state, '', url);
  }, []);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

/**
 * The language and `t` over the common texts plus the page's own dictionary (`messages/*`): a page imports only the
 * dictionaries it shows, so the register page does not carry the admin console's texts.
 */
export function useI18n<D extends Messages = Record<never, never>>(messages?: D): I18n<D> {
  const state = useContext(LangContext);
  if (!state) throw new Error('useI18n outside I18nProvider');
  const { lang } = state;
  const t = useCallback(
    (key: keyof D | keyof typeof COMMON_MESSAGES, vars: Vars = {}) => {
      const entry = (messages as Messages | undefined)?.[key as string] ?? (COMMON_MESSAGES as Messages)[key as string];
      return entry![lang].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
    },
    [lang, messages],
  );
  return useMemo(() => ({ ...state, t }), [state, t]);
}
