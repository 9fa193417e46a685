import { useMemo } from 'react';
import { useMutation, useQuery } from 'urql';
import { useWatch } from 'react-hook-form';
import { z } from 'zod';

import { useSession } from '../../auth/session';
import { useAdminList } from '../../data/useAdminList';
import { useEditorState } from '../../data/useEditorState';
import { useServerForm } from '../../forms/useServerForm';
import { graphql } from '../../gql';
import type { AdminQueueQuery, ClosedAction, MaxWaitAction, SlFormula } from '../../gql/graphql';
import type { MessageId } from '../../i18n/messages';
import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
import { CheckboxField } from '../../ui/CheckboxField';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
import { FormActions } from '../../ui/FormActions';
import { FormAlert } from '../../ui/FormAlert';
import { FormSection } from '../../ui/FormSection';
import { ListToolbar } from '../../ui/ListToolbar';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { QueryProblem } from '../../ui/QueryProblem';
import { RowActions } from '../../ui/RowActions';
import { SearchBox } from '../../ui/SearchBox';
import { SelectField } from '../../ui/SelectField';
import { SkillLevelPicker } from '../../ui/SkillLevelPicker';
import { StatusMessage } from '../../ui/StatusMessage';
import { TextField } from '../../ui/TextField';
import { WEEKDAYS, WeeklyHoursEditor, weekOf, weekWindows, type WeeklyHours } from '../../ui/WeeklyHoursEditor';
import { useWholeNumber } from './wholeNumber';

// Queues: the list shows what a supervisor scans for (priority, T/S, skills, hours); the
// editor reads the one queue (`queue(id)`) and offers every field of CreateQueueInput.
export const AdminQueuesQuery = graphql(`
  query AdminQueues($first: Int, $after: String) {
    queues(first: $first, after: $after) {
      nodes {
        id
        name
        priority
        slThresholdS
        shortAbandonS
        requiredSkills {
          skill {
            id
            name
          }
          minLevel
        }
        hours {
          tz
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const QueueQuery = graphql(`
  query AdminQueue($id: ID!) {
    queue(id: $id) {
      id
      name
      requiredSkills {
        skill {
          id
          name
        }
        minLevel
      }
      priority
      slThresholdS
      shortAbandonS
      slFormula
      maxWaitS
      maxWaitAction
      overflowQueueId
      wrapupS
      ringTimeoutS
      maxSize
      record
      requireDisposition
      hours {
        tz
        windows {
          day
          start
          end
        }
      }
      closedAction
      closedCode
      blacklistCode
      vipBoost
      stickyAgentS
    }
  }
`);

// What the form picks from: the tenant's skills and the queues calls may overflow to.
const QueueFormOptionsQuery = graphql(`
  query QueueFormOptions {
    skills(first: 100) {
      nodes {
        id
        name
      }
    }
    queues(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`);

const CreateQueueMutation = graphql(`
  mutation CreateQueue($input: CreateQueueInput!) {
    createQueue(input: $input) {
      id
      name
    }
  }
`);

const UpdateQueueMutation = graphql(`
  mutation UpdateQueue($input: UpdateQueueInput!) {
    updateQueue(input: $input) {
      id
      name
    }
  }
`);

const DeleteQueueMutation = graphql(`
  mutation DeleteQueue($id: ID!) {
    deleteQueue(id: $id)
  }
`);

interface QueueRow {
  id: string;
  name: string;
  priority: number;
  slThresholdS: number;
  shortAbandonS: number;
  requiredSkills: readonly { skill: { id: string; name: string }; minLevel: number }[];
  hours?: { tz: string } | null;
}

export const SL_FORMULAS: readonly SlFormula[] = ['DEFAULT', 'ANSWERED_ONLY', 'ABANDONS_MET', 'ABANDONS_MISSED'];
const MAX_WAIT_ACTIONS: readonly MaxWaitAction[] = ['REJECT', 'OVERFLOW', 'CALLBACK'];
const CLOSED_ACTIONS: readonly ClosedAction[] = ['REJECT', 'OVERFLOW'];

export default function QueuesPage() {
  const t = useT();
  const list = useAdminList({
    query: AdminQueuesQuery,
    select: (data) => data.queues,
    matches: (queue, needle) =>
      queue.name.toLowerCase().includes(needle) || queue.requiredSkills.some((r) => r.skill.name.toLowerCase().includes(needle)),
  });
  const editor = useEditorState<QueueRow>();
  const [, deleteQueue] = useMutation(DeleteQueueMutation);

  const columns: Column<QueueRow>[] = [
    { header: t('field.name'), cell: (queue) => queue.name, isRowHeader: true },
    { header: t('admin.queues.priority'), cell: (queue) => queue.priority },
    {
      header: t('admin.queues.serviceLevel'),
      cell: (queue) => t('admin.queues.thresholds', { t: queue.slThresholdS, s: queue.shortAbandonS }),
    },
    {
      header: t('admin.queues.requiredSkills'),
      cell: (queue) =>
        queue.requiredSkills.length
          ? queue.requiredSkills.map((r) => t('admin.queues.skillAtLeast', { skill: r.skill.name, level: r.minLevel })).join(', ')
          : t('admin.queues.anySkill'),
    },
    {
      header: t('admin.queues.hours'),
      cell: (queue) => (queue.hours ? t('admin.queues.scheduledIn', { tz: queue.hours.tz }) : t('admin.queues.alwaysOpen')),
    },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (queue) => <RowActions onEdit={() => editor.openEdit(queue)} onDelete={() => editor.openDelete(queue)} />,
    },
  ];

  const { state } = editor;
  return (
    <section className="page">
      <PageHeader
        title={t('admin.queues.title')}
        intro={t('admin.queues.intro')}
        actions={
          <Button variant="primary" onClick={editor.openCreate}>
            {t('admin.queues.create')}
          </Button>
        }
      />
      <StatusMessage message={editor.status} />
      <ListToolbar shown={list.rows.length} loaded={list.loaded}>
        <SearchBox value={list.search} onChange={list.setSearch} />
      </ListToolbar>
      {list.error ? <QueryProblem error={list.error} retry={list.refresh} /> : null}
      <DataTable
        caption={t('admin.queues.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(queue) => queue.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : list.search ? t('list.noMatch') : t('admin.queues.empty')}
      />
      <Pager
        label={t('admin.queues.pages')}
        page={list.pager.page}
        hasPrevious={list.pager.hasPrevious}
        hasNext={list.pager.hasNext}
        onPrevious={list.pager.previous}
        onNext={list.pager.next}
      />

      <Dialog
        title={state.mode === 'edit' ? t('admin.queues.edit') : t('admin.queues.create')}
        isOpen={state.mode === 'create' || state.mode === 'edit'}
        onClose={editor.close}
      >
        <QueueEditor
          queueId={state.mode === 'edit' ? state.row.id : null}
          onCancel={editor.close}
          onSaved={(name, created) => {
            editor.finish(t(created ? 'admin.queues.created' : 'admin.queues.saved', { name }));
            list.refresh();
          }}
        />
      </Dialog>

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('admin.queues.deleteTitle', { name: state.row.name })}
          confirmLabel={t('action.delete')}
          onClose={editor.close}
          send={() => deleteQueue({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('admin.queues.deleted', { name: state.row.name }));
            list.refresh();
          }}
        >
          <p>{t('admin.queues.deleteBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface EditorProps {
  /** The queue to edit, or null to create one. */
  queueId: string | null;
  onCancel: () => void;
  onSaved: (name: string, created: boolean) => void;
}

/** Loads what the form needs (the options, and the queue when editing), then shows it. */
function QueueEditor({ queueId, onCancel, onSaved }: EditorProps) {
  const { tenant } = useSession();
  const [options, reloadOptions] = useQuery({ query: QueueFormOptionsQuery, requestPolicy: 'network-only' });
  const [current, reloadQueue] = useQuery({
    query: QueueQuery,
    variables: { id: queueId ?? '' },
    pause: queueId === null,
    requestPolicy: 'network-only',
  });
  const error = options.error ?? (queueId ? current.error : undefined);
  if (error) {
    return (
      <QueryProblem
        error={error}
        retry={() => {
          reloadOptions({ requestPolicy: 'network-only' });
          if (queueId) reloadQueue({ requestPolicy: 'network-only' });
        }}
      />
    );
  }
  const queue = queueId ? current.data?.queue : null;
  if (!options.data || queue === undefined) return <Loading />;
  return (
    <QueueForm
      queue={queue}
      skills={options.data.skills.nodes}
      queues={options.data.queues.nodes.filter((q) => q.id !== queueId)}
      timeZone={tenant.timeZone}
      onCancel={onCancel}
      onSaved={onSaved}
    />
  );
}

type LoadedQueue = AdminQueueQuery['queue'];

interface QueueFormProps {
  queue: LoadedQueue | null;
  skills: readonly { id: string; name: string }[];
  /** The queues this one may overflow to (itself left out). */
  queues: readonly { id: string; name: string }[];
  /** The zone new business hours start in (the tenant's). */
  timeZone: string;
  onCancel: () => void;
  onSaved: (name: string, created: boolean) => void;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function emptyWeek(): WeeklyHours {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

function officeWeek(): WeeklyHours {
  const week = emptyWeek();
  for (const day of WEEKDAYS.slice(0, 5)) week[day] = [{ start: '09:00', end: '17:00' }];
  return week;
}

function timeZones(current: string): { value: string; label: string }[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  zones.add(current);
  return [...zones].sort().map((zone) => ({ value: zone, label: zone }));
}

/** Every setting of a queue, in sections. Exported for its component test. */
export function QueueForm({ queue, skills, queues, timeZone, onCancel, onSaved }: QueueFormProps) {
  const t = useT();
  const whole = useWholeNumber();
  const [, createQueue] = useMutation(CreateQueueMutation);
  const [, updateQueue] = useMutation(UpdateQueueMutation);

  // Mirrors routing/config/schemas.py QueueIn (ranges, S ≤ T, an overflow target when a rule
  // overflows); the server checks again and its errors land on the same fields.
  const schema = useMemo(() => {
    // Hours are checked only when the queue keeps them: hidden fields never block a save.
    const window = z.object({ start: z.string().trim(), end: z.string().trim() });
    return z
      .object({
        name: z.string().trim().min(1, t('validation.required')).max(120, t('validation.tooLong', { max: 120 })),
        priority: whole(0, 100),
        requiredSkills: z.array(z.object({ skillId: z.string().min(1), minLevel: whole(1, 10) })),
        record: z.boolean(),
        requireDisposition: z.boolean(),
        vipBoost: whole(0, 1000),
        stickyAgentS: whole(0, 3600),
        blacklistCode: whole(400, 699),
        slThresholdS: whole(1, 3600),
        shortAbandonS: whole(0, 3600),
        slFormula: z.enum(['DEFAULT', 'ANSWERED_ONLY', 'ABANDONS_MET', 'ABANDONS_MISSED']),
        maxWaitS: whole(0, 86_400),
        wrapupS: whole(0, 3600),
        ringTimeoutS: whole(5, 300),
        maxSize: whole(0, 100_000),
        maxWaitAction: z.enum(['REJECT', 'OVERFLOW', 'CALLBACK']),
        overflowQueueId: z.string(),
        scheduled: z.boolean(),
        hours: z.object({
          tz: z.string().min(1, t('validation.required')),
          days: z.object({
            mon: z.array(window),
            tue: z.array(window),
            wed: z.array(window),
            thu: z.array(window),
            fri: z.array(window),
            sat: z.array(window),
            sun: z.array(window),
          }),
        }),
        closedAction: z.enum(['REJECT', 'OVERFLOW']),
        closedCode: whole(400, 699),
      })
      .superRefine((values, ctx) => {
        if (values.shortAbandonS > values.slThresholdS) {
          ctx.addIssue({ code: 'custom', path: ['shortAbandonS'], message: t('admin.queues.sWithinT') });
        }
        const overflows = (values.maxWaitS > 0 && values.maxWaitAction === 'OVERFLOW') || (values.scheduled && values.closedAction === 'OVERFLOW');
        if (overflows && !values.overflowQueueId) {
          ctx.addIssue({ code: 'custom', path: ['overflowQueueId'], message: t('admin.queues.overflowNeeded') });
        }
        if (!values.scheduled) return;
        for (const day of WEEKDAYS) {
          values.hours.days[day].forEach((w, index) => {
            const at = (key: 'start' | 'end') => ['hours', 'days', day, index, key];
            if (!TIME.test(w.start)) ctx.addIssue({ code: 'custom', path: at('start'), message: t('admin.queues.timeRule') });
            if (!TIME.test(w.end)) ctx.addIssue({ code: 'custom', path: at('end'), message: t('admin.queues.timeRule') });
            else if (TIME.test(w.start) && w.start >= w.end) {
              ctx.addIssue({ code: 'custom', path: at('end'), message: t('admin.queues.endAfterStart') });
            }
          });
        }
      });
  }, [t, whole]);

  const defaultValues = useMemo(
    () => ({
      name: queue?.name ?? '',
      priority: String(queue?.priority ?? 0),
      requiredSkills: (queue?.requiredSkills ?? []).map((r) => ({ skillId: r.skill.id, minLevel: String(r.minLevel) })),
      record: queue?.record ?? false,
      requireDisposition: queue?.requireDisposition ?? false,
      vipBoost: String(queue?.vipBoost ?? 10),
      stickyAgentS: String(queue?.stickyAgentS ?? 0),
      blacklistCode: String(queue?.blacklistCode ?? 403),
      slThresholdS: String(queue?.slThresholdS ?? 20),
      shortAbandonS: String(queue?.shortAbandonS ?? 5),
      slFormula: queue?.slFormula ?? 'DEFAULT',
      maxWaitS: String(queue?.maxWaitS ?? 0),
      wrapupS: String(queue?.wrapupS ?? 10),
      ringTimeoutS: String(queue?.ringTimeoutS ?? 20),
      maxSize: String(queue?.maxSize ?? 0),
      maxWaitAction: queue?.maxWaitAction ?? 'REJECT',
      overflowQueueId: queue?.overflowQueueId ?? '',
      scheduled: Boolean(queue?.hours),
      hours: {
        tz: queue?.hours?.tz ?? timeZone,
        days: queue?.hours ? weekOf(queue.hours.windows) : officeWeek(),
      },
      closedAction: queue?.closedAction ?? 'REJECT',
      closedCode: String(queue?.closedCode ?? 480),
    }),
    [queue, timeZone],
  );

  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues,
    // The API takes the week as one list (hours.windows.<i>); the form holds it per day.
    mapServerField: (field, values) => {
      const match = /^hours\.windows(?:\.(\d+)(?:\.(\w+))?)?$/.exec(field);
      if (!match) return null;
      const path = match[1] === undefined ? undefined : weekWindows(values.hours.days, 'hours.days').paths[Number(match[1])];
      if (!path) return 'hours';
      if (match[2] === 'start' || match[2] === 'end') return `${path}.${match[2]}`;
      return match[2] ? `${path}.start` : `${path}.end`;
    },
  });

  const scheduled = useWatch({ control: form.control, name: 'scheduled' });
  const formula = useWatch({ control: form.control, name: 'slFormula' });
  const hoursError = form.formState.errors.hours?.message ?? form.formState.errors.hours?.root?.message;
  const zones = useMemo(() => timeZones(defaultValues.hours.tz), [defaultValues.hours.tz]);

  const onSubmit = handleSubmit<unknown>(
    (values) => {
      const { scheduled: isScheduled, hours, overflowQueueId, requiredSkills, ...rest } = values;
      const input = {
        ...rest,
        requiredSkills: requiredSkills.map((r) => ({ skillId: r.skillId, minLevel: r.minLevel })),
        overflowQueueId: overflowQueueId || null,
        hours: isScheduled ? { tz: hours.tz, windows: weekWindows(hours.days, 'hours.days').windows } : null,
      };
      return queue ? updateQueue({ input: { id: queue.id, ...input } }) : createQueue({ input });
    },
    (_data, values) => onSaved(values.name, queue === null),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="form form-sectioned">
      <FormSection title={t('admin.queues.general')}>
        <TextField form={form} name="name" label={t('field.name')} required autoComplete="off" autoFocus />
        <TextField form={form} name="priority" label={t('admin.queues.priority')} hint={t('admin.queues.priorityHint')} inputMode="numeric" />
        <SkillLevelPicker
          form={form}
          name="requiredSkills"
          levelKey="minLevel"
          label={t('admin.queues.requiredSkills')}
          levelLabel={t('admin.queues.minLevel')}
          addLabel={t('admin.queues.addSkill')}
          empty={t('admin.queues.noRequiredSkills')}
          skills={skills}
        />
        <CheckboxField form={form} name="record" label={t('admin.queues.record')} hint={t('admin.queues.recordHint')} />
        <TextField form={form} name="vipBoost" label={t('admin.queues.vipBoost')} hint={t('admin.queues.vipBoostHint')} inputMode="numeric" />
        <TextField form={form} name="stickyAgentS" label={t('admin.queues.stickyAgentS')} hint={t('admin.queues.stickyAgentHint')} inputMode="numeric" />
        <TextField form={form} name="blacklistCode" label={t('admin.queues.blacklistCode')} hint={t('admin.queues.sipCodeHint')} inputMode="numeric" />
      </FormSection>

      <FormSection title={t('admin.queues.serviceLevelSection')} hint={t('admin.queues.serviceLevelHint')}>
        <TextField form={form} name="slThresholdS" label={t('admin.queues.slThresholdS')} hint={t('admin.queues.slThresholdHint')} inputMode="numeric" />
        <TextField form={form} name="shortAbandonS" label={t('admin.queues.shortAbandonS')} hint={t('admin.queues.shortAbandonHint')} inputMode="numeric" />
        <SelectField
          form={form}
          name="slFormula"
          label={t('admin.queues.slFormula')}
          hint={t(`admin.queues.formula.${formula}.explain` as MessageId)}
          options={SL_FORMULAS.map((value) => ({ value, label: t(`admin.queues.formula.${value}` as MessageId) }))}
        />
      </FormSection>

      <FormSection title={t('admin.queues.timers')}>
        <TextField form={form} name="maxWaitS" label={t('admin.queues.maxWaitS')} hint={t('admin.queues.maxWaitHint')} inputMode="numeric" />
        <TextField form={form} name="wrapupS" label={t('admin.queues.wrapupS')} hint={t('admin.queues.wrapupHint')} inputMode="numeric" />
        <CheckboxField form={form} name="requireDisposition" label={t('admin.queues.requireDisposition')} hint={t('admin.queues.requireDispositionHint')} />
        <TextField form={form} name="ringTimeoutS" label={t('admin.queues.ringTimeoutS')} hint={t('admin.queues.ringTimeoutHint')} inputMode="numeric" />
      </FormSection>

      <FormSection title={t('admin.queues.overflow')} hint={t('admin.queues.overflowHint')}>
        <TextField form={form} name="maxSize" label={t('admin.queues.maxSize')} hint={t('admin.queues.maxSizeHint')} inputMode="numeric" />
        <SelectField
          form={form}
          name="maxWaitAction"
          label={t('admin.queues.maxWaitAction')}
          hint={t('admin.queues.maxWaitActionHint')}
          options={MAX_WAIT_ACTIONS.map((value) => ({ value, label: t(`admin.queues.maxWaitAction.${value}` as MessageId) }))}
        />
        <SelectField
          form={form}
          name="overflowQueueId"
          label={t('admin.queues.overflowQueue')}
          hint={t('admin.queues.overflowQueueHint')}
          options={[{ value: '', label: t('admin.queues.noOverflow') }, ...queues.map((q) => ({ value: q.id, label: q.name }))]}
        />
      </FormSection>

      <FormSection title={t('admin.queues.hoursSection')}>
        <CheckboxField form={form} name="scheduled" label={t('admin.queues.scheduled')} hint={t('admin.queues.scheduledHint')} />
        {scheduled ? (
          <>
            <SelectField form={form} name="hours.tz" label={t('field.timeZone')} options={zones} />
            <WeeklyHoursEditor form={form} name="hours.days" />
            {hoursError ? (
              <p className="field-error" role="alert">
                {hoursError}
              </p>
            ) : null}
            <SelectField
              form={form}
              name="closedAction"
              label={t('admin.queues.closedAction')}
              hint={t('admin.queues.closedActionHint')}
              options={CLOSED_ACTIONS.map((value) => ({ value, label: t(`admin.queues.closedAction.${value}` as MessageId) }))}
            />
            <TextField form={form} name="closedCode" label={t('admin.queues.closedCode')} hint={t('admin.queues.sipCodeHint')} inputMode="numeric" />
          </>
        ) : null}
      </FormSection>

      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
