import { graphql } from '../../../gql';

// The report builder's operations on the saved-reports API.

export const PreviewReportQuery = graphql(`
  query PreviewReport($input: SavedReportInput!, $start: DateTime!, $end: DateTime!) {
    previewReport(input: $input, start: $start, end: $end)
  }
`);

export const SavedReportsQuery = graphql(`
  query SavedReports($first: Int!) {
    savedReports(first: $first) {
      nodes {
        id
        name
        dimension
        metrics
        queueIds
        interval
        timeZone
        createdAt
      }
    }
  }
`);

export const CreateSavedReportMutation = graphql(`
  mutation CreateSavedReport($input: SavedReportInput!) {
    createSavedReport(input: $input) {
      id
      name
    }
  }
`);

export const DeleteSavedReportMutation = graphql(`
  mutation DeleteSavedReport($id: ID!) {
    deleteSavedReport(id: $id)
  }
`);

export const ExportSavedReportQuery = graphql(`
  query ExportSavedReport($id: ID!, $start: DateTime!, $end: DateTime!) {
    exportSavedReport(id: $id, start: $start, end: $end)
  }
`);

export const QaBuilderReportQuery = graphql(`
  query QaBuilderReport($range: QaReportRangeInput!, $groupBy: QaGroupBy!, $interval: QaGroupBy) {
    qaReport(range: $range, groupBy: $groupBy, interval: $interval) {
      agentId
      queueId
      periodStart
      evaluations
      averageScore
      autoFails
    }
  }
`);
