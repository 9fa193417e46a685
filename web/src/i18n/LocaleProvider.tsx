import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';

import { english, loadCatalogue, type Catalogue, type Locale } from './messages';
import { deviceLocale, rememberLocale, userLocale } from './preference';

interface LocaleControl {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  /** Binds the preference to the signed-in user (null after log-out) and its tenant's zone. */
  bindSession: (userId: string | null, timeZone?: string | null) => void;
}

const LocaleContext = createContext<LocaleControl | null>(null);

export function useLocaleControl(): LocaleControl {
  const control = use(LocaleContext);
  if (!control) throw new Error('useLocaleControl outside LocaleProvider');
  return control;
}

interface Loaded {
  locale: Locale;
  messages: Catalogue;
}

/**
 * react-intl with the chosen catalogue, in the tenant's time zone (dates and times follow
 * it; `timeZone` undefined means the browser's, before anyone logged in).
 */
export function LocaleProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [wanted, setWanted] = useState<Locale>(() => initial ?? deviceLocale());
  // English ships with the shell; another catalogue replaces it once loaded.
  const [loaded, setLoaded] = useState<Loaded>(() => ({ locale: 'en', messages: english }));
  const [timeZone, setTimeZone] = useState<string | undefined>(undefined);
  const userId = useRef<string | null>(null);

  useEffect(() => {
    if (wanted === loaded.locale) return;
    let current = true;
    void loadCatalogue(wanted).then((messages) => {
      if (current) setLoaded({ locale: wanted, messages });
    });
    return () => {
      current = false;
    };
  }, [wanted, loaded.locale]);

  useEffect(() => {
    document.documentElement.lang = loaded.locale;
  }, [loaded.locale]);

  const setLocale = useCallback((locale: Locale) => {
    rememberLocale(locale, userId.current);
    setWanted(locale);
  }, []);

  const bindSession = useCallback((id: string | null, zone?: string | null) => {
    userId.current = id;
    setTimeZone(zone ?? undefined);
    if (id) {
      const chosen = userLocale(id);
      if (chosen) setWanted(chosen);
    }
  }, []);

  const control = useMemo(
    () => ({ locale: loaded.locale, setLocale, bindSession }),
    [loaded.locale, setLocale, bindSession],
  );

  return (
    <LocaleContext value={control}>
      <IntlProvider locale={loaded.locale} messages={loaded.messages} defaultLocale="en" timeZone={timeZone}>
        {children}
      </IntlProvider>
    </LocaleContext>
  );
}
