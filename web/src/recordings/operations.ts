import { graphql } from '../gql';

// Recordings' typed operations: the search, the caller's rights, the playback and download
// URLs (each issue is written to the access log), the access log and the tenant's setting.

export const RecordingSearchQuery = graphql(`
  query RecordingSearch($filter: RecordingFilter!, $first: Int!, $after: String) {
    recordings(filter: $filter, first: $first, after: $after) {
      nodes {
        id
        callId
        startedAt
        createdAt
        direction
        queueId
        queueName
        agentId
        agentName
        customerId
        customerName
        callerNumber
        durationSeconds
        channels
        dispositionCode
        dispositionLabel
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const RecordingRightsQuery = graphql(`
  query RecordingRights {
    recordingSettings {
      agentsMayPlayOwn
      viewerMayPlay
      viewerMayDownload
    }
  }
`);

export const RecordingPlaybackUrlQuery = graphql(`
  query RecordingPlaybackUrl($id: ID!) {
    recordingPlaybackUrl(id: $id) {
      url
      expiresAt
    }
  }
`);

export const RecordingDownloadUrlQuery = graphql(`
  query RecordingDownloadUrl($id: ID!) {
    recordingDownloadUrl(id: $id) {
      url
      expiresAt
    }
  }
`);

export const RecordingChannelsQuery = graphql(`
  query RecordingChannels($id: ID!) {
    recording(id: $id) {
      id
      channels
      durationSeconds
    }
  }
`);

export const RecordingSearchOptionsQuery = graphql(`
  query RecordingSearchOptions {
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

export const RecordingDispositionsQuery = graphql(`
  query RecordingDispositions {
    dispositions(includeArchived: true) {
      id
      code
      label
    }
  }
`);

export const RecordingAccessLogQuery = graphql(`
  query RecordingAccessLog($first: Int!, $after: String) {
    recordingAccessLog(first: $first, after: $after) {
      nodes {
        id
        recordingId
        callId
        action
        userId
        userName
        role
        clientIp
        at
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const UpdateRecordingSettingsMutation = graphql(`
  mutation UpdateRecordingSettings($input: UpdateRecordingSettingsInput!) {
    updateRecordingSettings(input: $input) {
      agentsMayPlayOwn
      viewerMayPlay
      viewerMayDownload
    }
  }
`);
