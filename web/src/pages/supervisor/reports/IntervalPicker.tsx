import { useId } from 'react';

import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { INTERVALS, pickError, type IntervalKind, type Picked } from './interval';

export const INTERVAL_LABELS: Record<IntervalKind, MessageId> = {
  MINUTES_15: 'reports.interval.m15',
  MINUTES_30: 'reports.interval.m30',
  MINUTES_60: 'reports.interval.m60',
  DAY: 'reports.interval.day',
  RANGE: 'reports.interval.range',
};

const ERRORS: Record<NonNullable<ReturnType<typeof pickError>>, MessageId> = {
  badDay: 'reports.error.badDay',
  toBeforeFrom: 'reports.error.toBeforeFrom',
  tooLong: 'reports.error.tooLong',
};

/** Interval length and the local days it covers, in the tenant's zone. */
export function IntervalPicker({ value, zone, onChange }: { value: Picked; zone: string; onChange: (next: Picked) => void }) {
  const t = useT();
  const id = useId();
  const error = pickError(value);
  return (
    <fieldset className="interval-picker">
      <legend>{t('reports.interval.legend', { zone })}</legend>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-interval`}>
          {t('reports.interval.label')}
        </label>
        <select id={`${id}-interval`} className="input" value={value.interval} onChange={(e) => onChange({ ...value, interval: e.target.value as IntervalKind })}>
          {INTERVALS.map((kind) => (
            <option key={kind} value={kind}>
              {t(INTERVAL_LABELS[kind])}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-from`}>
          {t('reports.interval.from')}
        </label>
        <input id={`${id}-from`} className="input" type="date" value={value.from} onChange={(e) => onChange({ ...value, from: e.target.value })} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-to`}>
          {t('reports.interval.to')}
        </label>
        <input
          id={`${id}-to`}
          className="input"
          type="date"
          value={value.to}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => onChange({ ...value, to: e.target.value })}
        />
      </div>
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {t(ERRORS[error])}
        </p>
      ) : null}
    </fieldset>
  );
}
