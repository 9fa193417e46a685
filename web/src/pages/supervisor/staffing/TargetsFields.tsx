import { useId } from 'react';

import type { MessageId } from '../../../i18n/messages';

interface NumberFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  error?: string | null;
  min?: number;
  max?: number;
  step?: number;
}

/** A labelled number input with a hint and an error under it. */
export function NumberField({ label, value, onChange, hint, error, min, max, step }: NumberFieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input id={id} className="input" type="number" inputMode="decimal" value={value} min={min} max={max} step={step} aria-invalid={error ? true : undefined} aria-describedby={described} onChange={(e) => onChange(e.target.value)} />
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export const TARGET_ERRORS: Record<string, MessageId> = {
  serviceLevel: 'staffing.error.serviceLevel',
  seconds: 'staffing.error.seconds',
  shrinkage: 'staffing.error.shrinkage',
  maxOccupancy: 'staffing.error.maxOccupancy',
  ahtSeconds: 'staffing.error.aht',
};
