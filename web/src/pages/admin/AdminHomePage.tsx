import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';

import { useSession } from '../../auth/session';
import { graphql } from '../../gql';
import type { MessageId } from '../../i18n/messages';
import { useT } from '../../i18n/useT';
import { PageHeader } from '../../ui/PageHeader';
import { QueryProblem } from '../../ui/QueryProblem';

// Three queries, not one: every root field is non-null, so one failing field (analytics
// not running, say) would null the whole answer and hide the steps that did load.
const SetupConfigQuery = graphql(`
  query SetupConfig {
    skills(first: 1) {
      nodes {
        id
      }
    }
    queues(first: 1) {
      nodes {
        id
      }
    }
    phoneNumbers(first: 1) {
      nodes {
        id
      }
    }
    agentProfiles(first: 1) {
      nodes {
        id
      }
    }
  }
`);

// "Sign the agent in": routing's live state of the tenant's agents; an agent signed in to
// a queue lists it in queueIds.
const SetupAgentsQuery = graphql(`
  query SetupAgents {
    agents(first: 100) {
      nodes {
        agentId
        queueIds
      }
    }
  }
`);

// "Make a test call": analytics' tenant report over the tenant's life so far (at most the
// 400 days a report may span), one row for the whole range; a call that reached a queue
// counts as offered, whether it was answered or not.
const SetupCallsQuery = graphql(`
  query SetupCalls($range: ReportRangeInput!) {
    tenantReport(range: $range) {
      offered
    }
  }
`);

const MAX_REPORT_DAYS = 399;

interface Step {
  id: string;
  label: MessageId;
  hint: MessageId;
  to: string;
  done: boolean | null;
}

export default function AdminHomePage() {
  const t = useT();
  const { tenant } = useSession();
  const [config, refetchConfig] = useQuery({ query: SetupConfigQuery, requestPolicy: 'cache-and-network' });
  const [agents] = useQuery({ query: SetupAgentsQuery, requestPolicy: 'cache-and-network' });
  const [openedAt] = useState(() => Date.now());
  const range = useMemo(() => {
    const end = new Date(openedAt + 60 * 60 * 1000);
    const earliest = end.getTime() - MAX_REPORT_DAYS * 24 * 60 * 60 * 1000;
    const start = new Date(Math.max(Date.parse(tenant.createdAt) - 60 * 60 * 1000, earliest));
    return { start: start.toISOString(), end: end.toISOString(), interval: 'RANGE' as const };
  }, [openedAt, tenant.createdAt]);
  const [calls] = useQuery({ query: SetupCallsQuery, variables: { range }, requestPolicy: 'cache-and-network' });

  const c = config.data;
  const nonEmpty = (nodes: readonly unknown[] | undefined) => (nodes === undefined ? null : nodes.length > 0);
  const steps: Step[] = [
    { id: 'skill', label: 'setup.skill', hint: 'setup.skillHint', to: '/admin/skills', done: nonEmpty(c?.skills.nodes) },
    { id: 'queue', label: 'setup.queue', hint: 'setup.queueHint', to: '/admin/queues', done: nonEmpty(c?.queues.nodes) },
    { id: 'number', label: 'setup.number', hint: 'setup.numberHint', to: '/admin/phone-numbers', done: nonEmpty(c?.phoneNumbers.nodes) },
    { id: 'agent', label: 'setup.agent', hint: 'setup.agentHint', to: '/admin/agents', done: nonEmpty(c?.agentProfiles.nodes) },
    {
      id: 'signIn',
      label: 'setup.signIn',
      hint: 'setup.signInHint',
      to: '/agent',
      done: agents.data ? agents.data.agents.nodes.some((a) => a.queueIds.length > 0) : null,
    },
    {
      id: 'call',
      label: 'setup.call',
      hint: 'setup.callHint',
      to: '/supervisor',
      done: calls.data ? calls.data.tenantReport.some((row) => row.offered > 0) : null,
    },
  ];
  const doneCount = steps.filter((s) => s.done).length;

  return (
    <section className="page">
      <PageHeader title={t('setup.title')} intro={t('setup.intro', { name: tenant.name })} />
      {config.error ? <QueryProblem error={config.error} retry={() => refetchConfig({ requestPolicy: 'network-only' })} /> : null}
      <p className="setup-progress">{t('setup.progress', { done: doneCount, total: steps.length })}</p>
      <ol className="checklist">
        {steps.map((step) => (
          <li key={step.id} className={step.done ? 'checklist-item is-done' : 'checklist-item'}>
            <span className="checklist-mark" aria-hidden="true">
              {step.done ? '✓' : ''}
            </span>
            <div>
              <Link to={step.to} className="checklist-link">
                {t(step.label)}
              </Link>
              <span className={step.done ? 'badge badge-done' : 'badge'}>
                {step.done === null ? t('setup.unknown') : step.done ? t('setup.done') : t('setup.todo')}
              </span>
              <p className="checklist-hint">{t(step.hint)}</p>
            </div>
          </li>
        ))}
      </ol>
      <p className="setup-login-url">
        {t('setup.loginUrl')} <code>{`${window.location.origin}/t/${tenant.slug}`}</code>
      </p>
    </section>
  );
}
