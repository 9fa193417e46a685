import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeClient, gqlError, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import { QaScorecardForm } from './qaScorecards/QaScorecardForm';
import type { StoredScorecard } from './qaScorecards/scorecardDraft';

const stored: StoredScorecard = {
  id: 'card-1',
  name: 'Inbound quality',
  status: 'ACTIVE',
  version: 3,
  description: null,
  sections: [
    { title: 'Opening', questions: [{ id: 'greet', text: 'Greeted by name?', type: 'YES_NO', scaleMax: null, allowNa: false, weight: 1, autoFail: false }] },
    { title: 'Compliance', questions: [{ id: 'verify', text: 'Verified identity?', type: 'YES_NO', scaleMax: null, allowNa: false, weight: 2, autoFail: true }] },
  ],
};

function renderForm(answers: FakeAnswer[], scorecard: StoredScorecard | null = null) {
  const replies = [...answers];
  const fake = fakeClient({ mutation: () => replies.shift() });
  const onSaved = vi.fn();
  renderPage(<QaScorecardForm scorecard={scorecard} onCancel={() => {}} onSaved={onSaved} />, { client: fake.client, session: ownerSession });
  return { ...fake, onSaved, user: userEvent.setup() };
}

const section = (n: number) => screen.getByRole('group', { name: `Section ${n}` });
const question = (s: number, n: number) => screen.getByRole('group', { name: `Question ${s}.${n}` });

describe('QaScorecardForm', () => {
  it('builds sections of yes/no and scale questions, reorders them by keyboard and sends them in order', async () => {
    const { user, onSaved, executeMutation } = renderForm([{ data: { createQaScorecard: { id: 'card-1', name: 'Inbound', version: 1 } } }]);
    await user.type(screen.getByLabelText(/^Name/), 'Inbound');
    await user.type(within(section(1)).getByLabelText(/^Section title/), 'Opening');
    await user.type(within(question(1, 1)).getByLabelText(/^Question/), 'Greeted by name?');
    await user.click(screen.getByRole('button', { name: 'Add question to section 1' }));
    expect(within(question(1, 2)).getByLabelText(/^Question/)).toHaveFocus();
    await user.type(within(question(1, 2)).getByLabelText(/^Question/), 'Showed empathy');
    await user.selectOptions(within(question(1, 2)).getByLabelText('Answer type'), 'SCALE');
    const top = within(question(1, 2)).getByLabelText(/^Scale top/);
    await user.clear(top);
    await user.type(top, '4');
    const weight = within(question(1, 2)).getByLabelText(/^Weight/);
    await user.clear(weight);
    await user.type(weight, '2.5');
    await user.click(within(question(1, 2)).getByLabelText('Allow N/A'));
    await user.click(screen.getByRole('button', { name: 'Add section' }));
    await user.type(within(section(2)).getByLabelText(/^Section title/), 'Compliance');
    await user.type(within(question(2, 1)).getByLabelText(/^Question/), 'Verified identity?');
    await user.click(within(question(2, 1)).getByLabelText('Auto-fail'));

    // The scale question goes first, by keyboard; the focus follows it.
    within(question(1, 2)).getByRole('button', { name: 'Move up' }).focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(question(1, 1)).getByRole('button', { name: 'Move down' })).toHaveFocus());

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Inbound', 1, true));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({
      input: {
        name: 'Inbound',
        description: null,
        sections: [
          {
            title: 'Opening',
            questions: [
              { id: null, text: 'Showed empathy', type: 'SCALE', scaleMax: 4, allowNa: true, weight: 2.5, autoFail: false },
              { id: null, text: 'Greeted by name?', type: 'YES_NO', scaleMax: null, allowNa: false, weight: 1, autoFail: false },
            ],
          },
          {
            title: 'Compliance',
            questions: [{ id: null, text: 'Verified identity?', type: 'YES_NO', scaleMax: null, allowNa: false, weight: 1, autoFail: true }],
          },
        ],
      },
    });
  }, 30_000);

  it('edits a stored scorecard keeping question ids, and checks weights and scales before sending', async () => {
    const { user, executeMutation } = renderForm([{ data: { updateQaScorecard: { id: 'card-1', name: 'Inbound quality', version: 4 } } }], stored);
    const weight = within(question(2, 1)).getByLabelText(/^Weight/);
    await user.clear(weight);
    await user.type(weight, '0');
    await user.selectOptions(within(question(1, 1)).getByLabelText('Answer type'), 'SCALE');
    const top = within(question(1, 1)).getByLabelText(/^Scale top/);
    await user.clear(top);
    await user.type(top, '11');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await within(question(2, 1)).findByText('Enter a number above 0, at most 100.')).toBeInTheDocument();
    expect(top).toHaveAccessibleDescription(expect.stringContaining('from 2 to 10'));
    expect(executeMutation).not.toHaveBeenCalled();
    await user.clear(weight);
    await user.type(weight, '3');
    await user.clear(top);
    await user.type(top, '5');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(executeMutation).toHaveBeenCalledTimes(1));
    const sent = executeMutation.mock.calls[0]?.[0].variables as { id: string; input: { sections: { questions: { id: string }[] }[] } };
    expect(sent.id).toBe('card-1');
    expect(sent.input.sections.map((s) => s.questions.map((q) => q.id))).toEqual([['greet'], ['verify']]);
  });

  it("lands the server's nested field error on that question's input and keeps the draft", async () => {
    const { user, onSaved } = renderForm(
      [{ error: gqlError('BAD_USER_INPUT', 'sections.1.questions.0.weight: too heavy', { field: 'sections.1.questions.0.weight' }) }],
      stored,
    );
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const weight = within(question(2, 1)).getByLabelText(/^Weight/);
    await waitFor(() => expect(weight).toHaveAttribute('aria-invalid', 'true'));
    expect(weight).toHaveAccessibleDescription(expect.stringContaining('too heavy'));
    expect(weight).toHaveFocus();
    expect(within(question(1, 1)).getByLabelText(/^Weight/)).not.toHaveAttribute('aria-invalid');
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Inbound quality');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("puts a yes/no question's scaleMax error on its answer type", async () => {
    const { user } = renderForm(
      [{ error: gqlError('BAD_USER_INPUT', 'sections.0.questions.0.scaleMax: only scale questions have a scaleMax', { field: 'sections.0.questions.0.scaleMax' }) }],
      stored,
    );
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const type = within(question(1, 1)).getByLabelText('Answer type');
    await waitFor(() => expect(type).toHaveAttribute('aria-invalid', 'true'));
  });
});
