import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeClient, gqlError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../../test/render';
import type { Evaluation } from './evaluation';
import { ScoringForm } from './ScoringForm';

const draft: Evaluation = {
  __typename: 'QaEvaluation',
  id: 'ev-1',
  status: 'DRAFT',
  recordingId: 'rec-1',
  callId: 'call-1@pbx',
  callAt: '2026-03-02T10:00:00+00:00',
  agentId: 'agent-1',
  score: null,
  autoFailed: false,
  overallComment: null,
  disputeReason: null,
  submittedAt: null,
  answers: [],
  comments: [],
  scorecard: {
    __typename: 'QaScorecardVersion',
    id: 'v-1',
    name: 'Inbound quality',
    version: 1,
    sections: [
      {
        __typename: 'QaSection',
        title: 'Opening',
        questions: [
          { __typename: 'QaQuestion', id: 'greet', text: 'Greeted by name?', type: 'YES_NO', scaleMax: null, allowNa: false, weight: 1, autoFail: false },
          { __typename: 'QaQuestion', id: 'empathy', text: 'Showed empathy', type: 'SCALE', scaleMax: 5, allowNa: true, weight: 2, autoFail: false },
        ],
      },
      {
        __typename: 'QaSection',
        title: 'Compliance',
        questions: [{ __typename: 'QaQuestion', id: 'verify', text: 'Verified identity?', type: 'YES_NO', scaleMax: null, allowNa: false, weight: 1, autoFail: true }],
      },
    ],
  },
};

function renderForm(replies: Record<string, FakeAnswer[]>, now = 42.34) {
  const fake = fakeClient({ mutation: (request) => replies[operationName(request) ?? '']?.shift() });
  const onSaved = vi.fn();
  const seek = vi.fn();
  renderPage(<ScoringForm evaluation={draft} currentTime={() => now} seek={seek} onSaved={onSaved} />, { client: fake.client, session: ownerSession });
  return { ...fake, onSaved, seek, user: userEvent.setup() };
}

const group = (name: string) => screen.getByRole('group', { name });

describe('ScoringForm', () => {
  it('answers, pins a comment at the current time and saves the draft', async () => {
    const saved = { ...draft, score: 87.5 };
    const { user, executeMutation, onSaved, seek } = renderForm({ SaveQaEvaluation: [{ data: { saveQaEvaluation: saved } }] });
    await user.click(within(group('Greeted by name?')).getByLabelText('Yes'));
    await user.click(within(group('Showed empathy')).getByLabelText('N/A'));
    await user.type(screen.getByLabelText('Comment'), 'Warm greeting');
    await user.click(screen.getByRole('button', { name: 'Comment at current time' }));
    expect(screen.getByLabelText('Comment')).toHaveValue('');
    await user.click(screen.getByRole('button', { name: 'Play from 0:42' }));
    expect(seek).toHaveBeenCalledWith(42.3);
    await user.type(screen.getByLabelText('Overall comment'), 'Good call');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved, false));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({
      id: 'ev-1',
      input: {
        answers: [
          { questionId: 'greet', value: 1, na: false },
          { questionId: 'empathy', value: null, na: true },
        ],
        comments: [{ offsetSeconds: 42.3, text: 'Warm greeting' }],
        overallComment: 'Good call',
      },
    });
  });

  it('saves then submits, and shows the server score', async () => {
    const submitted = { ...draft, status: 'SUBMITTED' as const, score: 0, autoFailed: true };
    const { user, executeMutation, onSaved } = renderForm({
      SaveQaEvaluation: [{ data: { saveQaEvaluation: draft } }],
      SubmitQaEvaluation: [{ data: { submitQaEvaluation: submitted } }],
    });
    await user.click(within(group('Greeted by name?')).getByLabelText('Yes'));
    await user.click(within(group('Showed empathy')).getByLabelText('4'));
    await user.click(within(group('Verified identity?')).getByLabelText('No'));
    await user.click(screen.getByRole('button', { name: 'Submit evaluation' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(submitted, true));
    expect(executeMutation.mock.calls.map((call) => operationName(call[0]))).toEqual(['SaveQaEvaluation', 'SubmitQaEvaluation']);
    expect(executeMutation.mock.calls[1]?.[0].variables).toEqual({ id: 'ev-1' });
  });

  it("lands the server's answers.N error on that question, found by the list it sent", async () => {
    const { user, onSaved } = renderForm({
      SaveQaEvaluation: [{ error: gqlError('BAD_USER_INPUT', 'answers.1.value: must be between 1 and 5', { field: 'answers.1.value' }) }],
    });
    await user.click(within(group('Greeted by name?')).getByLabelText('No'));
    await user.click(within(group('Verified identity?')).getByLabelText('Yes'));
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    // Sent: greet (0), verify (1); empathy was left out, so answers.1 is "Verified identity?".
    expect(await within(group('Verified identity?')).findByText('answers.1.value: must be between 1 and 5')).toBeInTheDocument();
    expect(within(group('Greeted by name?')).queryByText(/must be between/)).toBeNull();
    expect(within(group('Verified identity?')).getByLabelText('Yes')).toBeChecked();
    expect(onSaved).not.toHaveBeenCalled();
  });
});
