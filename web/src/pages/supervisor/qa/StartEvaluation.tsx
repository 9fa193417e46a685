import { useMemo } from 'react';
import { useIntl } from 'react-intl';
import { useMutation, useQuery } from 'urql';
import { z } from 'zod';

import { useServerForm } from '../../../forms/useServerForm';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { FormAlert } from '../../../ui/FormAlert';
import { FormSection } from '../../../ui/FormSection';
import { QueryProblem } from '../../../ui/QueryProblem';
import { SelectField } from '../../../ui/SelectField';

const QaStartOptionsQuery = graphql(`
  query QaStartOptions {
    qaScorecards(first: 100) {
      nodes {
        id
        name
        version
      }
    }
    recordings(first: 100) {
      nodes {
        id
        callId
        durationSeconds
        startedAt
        createdAt
      }
    }
  }
`);

const StartQaEvaluationMutation = graphql(`
  mutation StartQaEvaluation($input: StartQaEvaluationInput!) {
    startQaEvaluation(input: $input) {
      id
    }
  }
`);

/** Pick a scorecard and a recorded call, and open a draft evaluation of it. */
export function StartEvaluation({ recordingId, onStarted }: { recordingId: string | null; onStarted: (id: string) => void }) {
  const t = useT();
  const intl = useIntl();
  const [options, reexecute] = useQuery({ query: QaStartOptionsQuery });
  const [, start] = useMutation(StartQaEvaluationMutation);
  const schema = useMemo(
    () => z.object({ scorecardId: z.string().min(1, t('validation.required')), recordingId: z.string().min(1, t('validation.required')) }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({ schema, defaultValues: { scorecardId: '', recordingId: recordingId ?? '' } });
  if (options.error) return <QueryProblem error={options.error} retry={() => reexecute({ requestPolicy: 'network-only' })} />;
  if (!options.data) return <p>{t('app.loading')}</p>;
  const scorecards = [{ value: '', label: t('qa.chooseScorecard') }, ...options.data.qaScorecards.nodes.map((c) => ({ value: c.id, label: `${c.name} (v${c.version})` }))];
  const recordings = [
    { value: '', label: t('qa.chooseRecording') },
    ...[...options.data.recordings.nodes].reverse().map((r) => ({
      value: r.id,
      label: `${intl.formatDate(r.startedAt ?? r.createdAt, { dateStyle: 'medium', timeStyle: 'short' })} · ${r.callId} · ${Math.round(r.durationSeconds)} s`,
    })),
  ];
  const onSubmit = handleSubmit<{ startQaEvaluation: { id: string } }>(
    (values) => start({ input: { scorecardId: values.scorecardId, recordingId: values.recordingId } }),
    (data) => onStarted(data.startQaEvaluation.id),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <FormSection title={t('qa.start')}>
        <SelectField form={form} name="scorecardId" label={t('qa.scorecard')} options={scorecards} required />
        <SelectField form={form} name="recordingId" label={t('qa.recordedCall')} options={recordings} required />
        <FormAlert problem={problem} />
        <Button type="submit" variant="primary" busy={busy}>
          {t('qa.startEvaluation')}
        </Button>
      </FormSection>
    </form>
  );
}
