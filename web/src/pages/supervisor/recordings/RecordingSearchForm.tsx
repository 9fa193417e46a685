import { useState } from 'react';
import { useQuery } from 'urql';

import type { CallDirection, RecordingFilter } from '../../../gql/graphql';
import { useT } from '../../../i18n/useT';
import { RecordingDispositionsQuery, RecordingSearchOptionsQuery } from '../../../recordings/operations';
import { Button } from '../../../ui/Button';
import { wallTimeToIso } from './wallTime';

export interface SearchDraft {
  from: string;
  to: string;
  queueId: string;
  agentId: string;
  callerNumber: string;
  direction: '' | CallDirection;
  dispositionCode: string;
}

export const EMPTY_DRAFT: SearchDraft = {
  from: '',
  to: '',
  queueId: '',
  agentId: '',
  callerNumber: '',
  direction: '',
  dispositionCode: '',
};

/** The API filter of a draft; times are wall-clock times in the tenant's `timeZone`. */
export function toFilter(draft: SearchDraft, timeZone: string): RecordingFilter {
  const filter: RecordingFilter = {};
  const from = wallTimeToIso(draft.from, timeZone);
  const to = wallTimeToIso(draft.to, timeZone);
  if (from) filter.startedFrom = from;
  if (to) filter.startedTo = to;
  if (draft.queueId) filter.queueId = draft.queueId;
  if (draft.agentId) filter.agentId = draft.agentId;
  if (draft.callerNumber.trim()) filter.callerNumber = draft.callerNumber.trim();
  if (draft.direction) filter.direction = draft.direction;
  if (draft.dispositionCode) filter.dispositionCode = draft.dispositionCode;
  return filter;
}

interface Props {
  /** An agent searches only their own calls: no agent field. */
  own: boolean;
  onSearch: (draft: SearchDraft) => void;
}

/** Time range, queue, agent, caller number, direction and disposition. */
export function RecordingSearchForm({ own, onSearch }: Props) {
  const t = useT();
  const [draft, setDraft] = useState<SearchDraft>(EMPTY_DRAFT);
  const [options] = useQuery({ query: RecordingSearchOptionsQuery, pause: own });
  const queues = options.data?.queues.nodes ?? [];
  const agents = options.data?.agents.nodes ?? [];
  const [codes] = useQuery({ query: RecordingDispositionsQuery });
  const dispositions = codes.data?.dispositions ?? [];
  const set = (field: keyof SearchDraft) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [field]: event.target.value }));
  const submit = (event: { preventDefault: () => void }) => {
    event.preventDefault();
    onSearch(draft);
  };
  const clear = () => {
    setDraft(EMPTY_DRAFT);
    onSearch(EMPTY_DRAFT);
  };

  return (
    <form className="recording-search" role="search" aria-label={t('recordings.search.label')} onSubmit={submit}>
      <div className="recording-search-fields">
        <label className="field">
          <span className="field-label">{t('recordings.search.from')}</span>
          <input className="input" type="datetime-local" value={draft.from} onChange={set('from')} />
        </label>
        <label className="field">
          <span className="field-label">{t('recordings.search.to')}</span>
          <input className="input" type="datetime-local" value={draft.to} onChange={set('to')} />
        </label>
        {own ? null : (
          <label className="field">
            <span className="field-label">{t('recordings.search.queue')}</span>
            <select className="input" value={draft.queueId} onChange={set('queueId')}>
              <option value="">{t('recordings.search.any')}</option>
              {queues.map((queue) => (
                <option key={queue.id} value={queue.id}>
                  {queue.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {own ? null : (
          <label className="field">
            <span className="field-label">{t('recordings.search.agent')}</span>
            <select className="input" value={draft.agentId} onChange={set('agentId')}>
              <option value="">{t('recordings.search.any')}</option>
              {agents.map((agent) => (
                <option key={agent.agentId} value={agent.agentId}>
                  {agent.displayName || agent.agentId}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span className="field-label">{t('recordings.search.callerNumber')}</span>
          <input className="input" type="search" value={draft.callerNumber} onChange={set('callerNumber')} />
        </label>
        <label className="field">
          <span className="field-label">{t('recordings.search.direction')}</span>
          <select className="input" value={draft.direction} onChange={set('direction')}>
            <option value="">{t('recordings.search.any')}</option>
            <option value="INBOUND">{t('recordings.direction.INBOUND')}</option>
            <option value="OUTBOUND">{t('recordings.direction.OUTBOUND')}</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('recordings.search.disposition')}</span>
          <select className="input" value={draft.dispositionCode} onChange={set('dispositionCode')}>
            <option value="">{t('recordings.search.any')}</option>
            {dispositions.map((disposition) => (
              <option key={disposition.id} value={disposition.code}>
                {disposition.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary">
          {t('recordings.search.submit')}
        </Button>
        <Button onClick={clear}>{t('recordings.search.clear')}</Button>
      </div>
    </form>
  );
}
