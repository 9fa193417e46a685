import { graphql } from '../../gql';

// The agent desktop's operations (typed from schema.graphql by `npm run codegen`).

export const AgentDeskQuery = graphql(`
  query AgentDesk {
    myAgentStatus {
      agentId
      state
      secondsInState
      callId
      queueIds
    }
    myAgentProfile {
      id
      userId
      queues {
        id
        name
      }
    }
    breakReasons {
      id
      name
    }
  }
`);

export const AgentStatusFields = graphql(`
  fragment AgentStatusFields on AgentStatus {
    agentId
    state
    secondsInState
    callId
    queueIds
  }
`);

export const AgentSetStateMutation = graphql(`
  mutation AgentSetState($input: SetAgentStateInput!) {
    setAgentState(input: $input) {
      ...AgentStatusFields
    }
  }
`);

export const AgentSignInMutation = graphql(`
  mutation AgentSignIn($input: QueueMembershipInput!) {
    signInToQueue(input: $input) {
      ...AgentStatusFields
    }
  }
`);

export const AgentSignOutMutation = graphql(`
  mutation AgentSignOut($input: QueueMembershipInput!) {
    signOutOfQueue(input: $input) {
      ...AgentStatusFields
    }
  }
`);

export const SipCredentialsQuery = graphql(`
  query AgentSipCredentials {
    sipCredentials {
      username
      password
      uri
      websocketUrl
      expiresAt
    }
  }
`);

export const CustomerCardFields = graphql(`
  fragment CustomerCardFields on Customer {
    id
    name
    company
    emails
    notes
    customFields
    phones {
      e164
      raw
    }
    category {
      id
      name
      routing
    }
    owner {
      id
      displayName
    }
  }
`);

export const ScreenPopFields = graphql(`
  fragment ScreenPopFields on ScreenPop {
    number
    customer {
      ...CustomerCardFields
    }
    openTickets {
      id
      number
      subject
      status
      currentStep {
        id
        name
      }
    }
  }
`);

export const CallOffersSubscription = graphql(`
  subscription AgentCallOffers {
    callOffers {
      callId
      from
      to
      offeredAt
      queue {
        id
        name
      }
      screenPop {
        ...ScreenPopFields
      }
    }
  }
`);

export const LookupCallerQuery = graphql(`
  query AgentLookupCaller($number: String!) {
    lookupCaller(number: $number) {
      ...ScreenPopFields
    }
  }
`);

export const CustomerTimelineQuery = graphql(`
  query AgentCustomerTimeline($customerId: ID!) {
    customerTimeline(customerId: $customerId, first: 20) {
      kind
      at
      summary
      callId
      ticket {
        id
        number
      }
    }
  }
`);

export const AgentCrmChoicesQuery = graphql(`
  query AgentCrmChoices {
    customerCategories {
      id
      name
    }
    customFields {
      id
      key
      label
      type
      required
      options
      position
    }
  }
`);

export const AgentCreateCustomerMutation = graphql(`
  mutation AgentCreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      ...CustomerCardFields
    }
  }
`);

export const AgentUpdateCustomerMutation = graphql(`
  mutation AgentUpdateCustomer($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) {
      ...CustomerCardFields
    }
  }
`);

export const AgentAddNoteMutation = graphql(`
  mutation AgentAddNote($customerId: ID!, $body: String!) {
    addCustomerNote(customerId: $customerId, body: $body) {
      id
      body
    }
  }
`);

export const AgentTicketCategoriesQuery = graphql(`
  query AgentTicketCategories {
    ticketCategories {
      id
      name
      fields {
        key
        label
        type
        required
        default
        options
      }
      steps {
        id
        name
        position
        slaSeconds
      }
    }
  }
`);

export const AgentCreateTicketMutation = graphql(`
  mutation AgentCreateTicket($input: CreateTicketInput!) {
    createTicket(input: $input) {
      id
      number
      subject
    }
  }
`);

export const MyTicketsQuery = graphql(`
  query AgentMyTickets {
    tickets(filter: { mine: true, status: OPEN }, first: 50) {
      nodes {
        id
        number
        subject
        priority
        status
        stepDueAt
        customer {
          id
          name
        }
        currentStep {
          id
          name
        }
        category {
          id
          name
          steps {
            id
            name
            position
          }
        }
      }
    }
  }
`);

export const AgentTransitionTicketMutation = graphql(`
  mutation AgentTransitionTicket($input: TransitionTicketInput!) {
    transitionTicket(input: $input) {
      id
      status
      currentStep {
        id
        name
      }
    }
  }
`);
