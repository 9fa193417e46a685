import { graphql } from '../../../gql';

// The report pages' typed operations: the tenant's zone, what a report can be about (queues,
// agents), the interval reports, traffic by hour and the agent workload.

export const ReportTimeZoneQuery = graphql(`
  query ReportTimeZone {
    reportTimeZone
  }
`);

export const ReportSubjectsQuery = graphql(`
  query ReportSubjects {
    queues(first: 100) {
      nodes {
        id
        name
      }
    }
    agents(first: 100) {
      nodes {
        agentId
        displayName
      }
    }
  }
`);

export const ReportRowFields = graphql(`
  fragment ReportRowFields on ReportRow {
    intervalStart
    intervalEnd
    definition {
      answerSeconds
      shortAbandonSeconds
      formula
      perQueueThresholds
    }
    offered
    answered
    abandoned
    shortAbandoned
    handled
    serviceLevel
    abandonmentRate
    asa
    aht
    averageTalk
    averageHold
    averageAcw
    occupancy
  }
`);

export const TenantReportQuery = graphql(`
  query TenantReport($range: ReportRangeInput!) {
    tenantReport(range: $range) {
      ...ReportRowFields
    }
  }
`);

export const QueueReportQuery = graphql(`
  query QueueReport($queueId: ID!, $range: ReportRangeInput!) {
    queueReport(queueId: $queueId, range: $range) {
      ...ReportRowFields
    }
  }
`);

export const AgentReportQuery = graphql(`
  query AgentReport($agentId: ID!, $range: ReportRangeInput!) {
    agentReport(agentId: $agentId, range: $range) {
      ...ReportRowFields
    }
  }
`);

export const HourlyTrafficQuery = graphql(`
  query HourlyTraffic($range: ReportRangeInput!, $queueId: ID) {
    hourlyTraffic(range: $range, queueId: $queueId) {
      hour
      offered
      answered
      abandoned
      averageOfferedPerDay
      asa
    }
  }
`);

export const AgentWorkloadQuery = graphql(`
  query AgentWorkload($range: ReportRangeInput!) {
    agentWorkload(range: $range) {
      agentId
      handled
      aht
      averageTalk
      averageHold
      averageAcw
      occupancy
      availableSeconds
      onContactSeconds
      acwSeconds
      breakSeconds
    }
  }
`);
