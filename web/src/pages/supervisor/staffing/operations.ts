import { graphql } from '../../../gql';

// The staffing calculator's operations: the recent weeks' traffic by hour and AHT, and the
// Erlang C plan of each hour.

export const StaffingHistoryQuery = graphql(`
  query StaffingHistory($range: ReportRangeInput!, $queueId: ID) {
    hourlyTraffic(range: $range, queueId: $queueId) {
      hour
      offered
      averageOfferedPerDay
    }
  }
`);

export const StaffingTenantAhtQuery = graphql(`
  query StaffingTenantAht($range: ReportRangeInput!) {
    tenantReport(range: $range) {
      handled
      aht
    }
  }
`);

export const StaffingQueueAhtQuery = graphql(`
  query StaffingQueueAht($queueId: ID!, $range: ReportRangeInput!) {
    queueReport(queueId: $queueId, range: $range) {
      handled
      aht
    }
  }
`);

export const StaffingPlanQuery = graphql(`
  query StaffingPlan($input: StaffingPlanInput!) {
    staffingPlan(input: $input) {
      trafficErlangs
      agents
      scheduledAgents
      serviceLevel
      asa
      occupancy
      probabilityOfWaiting
    }
  }
`);
