import { useId } from 'react';

import { useT } from '../i18n/useT';

interface SearchBoxProps {
  value: string;
  onChange: (value: string) => void;
  /** The visible label; "Search" by default. */
  label?: string;
}

/** A labelled search input inside a search landmark. */
export function SearchBox({ value, onChange, label }: SearchBoxProps) {
  const t = useT();
  const id = useId();
  return (
    <div role="search" className="search">
      <label htmlFor={id} className="field-label">
        {label ?? t('list.search')}
      </label>
      <input
        id={id}
        className="input"
        type="search"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete="off"
      />
    </div>
  );
}
