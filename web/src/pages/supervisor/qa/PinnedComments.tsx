import { useState } from 'react';
import { useFieldArray, type UseFormReturn } from 'react-hook-form';

import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { FormSection } from '../../../ui/FormSection';
import { formatOffset } from './evaluation';
import type { ScoringDraft, ScoringValues } from './scoringDraft';

interface PinnedCommentsProps {
  form: UseFormReturn<ScoringDraft, unknown, ScoringValues>;
  /** The player's position now, in seconds. */
  currentTime: () => number;
  /** Moves the player to a comment's moment. */
  seek: (seconds: number) => void;
}

/** Comments pinned to moments of the recording: "Comment at current time" pins the text typed. */
export function PinnedComments({ form, currentTime, seek }: PinnedCommentsProps) {
  const t = useT();
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'comments' });
  const [text, setText] = useState('');
  const sorted = fields.map((field, index) => ({ field, index })).sort((a, b) => a.field.offsetSeconds - b.field.offsetSeconds);
  return (
    <FormSection title={t('qa.comments')} hint={t('qa.commentsHint')}>
      <div className="field">
        <label htmlFor="qa-new-comment" className="field-label">
          {t('qa.newComment')}
        </label>
        <textarea id="qa-new-comment" className="input" rows={2} value={text} onChange={(event) => setText(event.target.value)} />
      </div>
      <Button
        disabled={!text.trim()}
        onClick={() => {
          append({ offsetSeconds: Math.round(currentTime() * 10) / 10, text: text.trim() });
          setText('');
        }}
      >
        {t('qa.commentAtCurrentTime')}
      </Button>
      {sorted.length ? (
        <ol className="qa-comments" aria-label={t('qa.comments')}>
          {sorted.map(({ field, index }) => (
            <li key={field.id}>
              <Button className="btn-small" variant="ghost" onClick={() => seek(field.offsetSeconds)} aria-label={t('qa.playFrom', { at: formatOffset(field.offsetSeconds) })}>
                {formatOffset(field.offsetSeconds)}
              </Button>
              <span className="qa-comment-text">{field.text}</span>
              <Button className="btn-small" variant="danger" onClick={() => remove(index)} aria-label={t('qa.removeComment', { at: formatOffset(field.offsetSeconds) })}>
                {t('qa.remove')}
              </Button>
            </li>
          ))}
        </ol>
      ) : null}
    </FormSection>
  );
}
