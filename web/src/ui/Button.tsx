import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  /** Shown as busy and not clickable while an action runs; the name stays the same. */
  busy?: boolean;
}

/** A `<button>` (type="button" unless told) in the app's styles. Its text is its name. */
export function Button({ variant = 'secondary', busy = false, className, disabled, type, ...rest }: ButtonProps) {
  return (
    <button
      type={type ?? 'button'}
      className={['btn', `btn-${variant}`, className].filter(Boolean).join(' ')}
      disabled={disabled ?? busy}
      aria-busy={busy || undefined}
      {...rest}
    />
  );
}
