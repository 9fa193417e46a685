import { useLocaleControl } from '../i18n/LocaleProvider';
import type { Locale } from '../i18n/messages';
import { useT } from '../i18n/useT';

// Each language is named in itself, so a reader finds theirs whatever is showing.
const CHOICES: readonly { locale: Locale; label: string }[] = [
  { locale: 'en', label: 'English' },
  { locale: 'zh-CN', label: '中文' },
];

/** en / 中文: two toggle buttons; the choice is remembered for the signed-in user. */
export function LanguageSwitch() {
  const t = useT();
  const { locale, setLocale } = useLocaleControl();
  return (
    <div role="group" aria-label={t('shell.language')} className="language-switch">
      {CHOICES.map((choice) => (
        <button
          key={choice.locale}
          type="button"
          lang={choice.locale}
          className="btn btn-ghost btn-small"
          aria-pressed={locale === choice.locale}
          onClick={() => setLocale(choice.locale)}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}
