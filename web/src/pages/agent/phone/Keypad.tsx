import { useState } from 'react';

import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** The DTMF keypad: each key sends its tone (RFC 4733) and is echoed in the dialled line. */
export function Keypad({ onTone }: { onTone: (tone: string) => void }) {
  const t = useT();
  const [sent, setSent] = useState('');
  return (
    <div className="agent-keypad">
      <output aria-label={t('agent.phone.tonesSent')} className="agent-keypad-sent">
        {sent}
      </output>
      <div role="group" aria-label={t('agent.phone.keypad')} className="agent-keypad-keys">
        {KEYS.map((key) => (
          <Button
            key={key}
            aria-label={t('agent.phone.tone', { key })}
            onClick={() => {
              onTone(key);
              setSent((s) => (s + key).slice(-24));
            }}
          >
            {key}
          </Button>
        ))}
      </div>
    </div>
  );
}
