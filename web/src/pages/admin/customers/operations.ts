import { graphql } from '../../../gql';

// The Customers page's operations (typed from schema.graphql by `npm run codegen`).
export const AdminCustomersQuery = graphql(`
  query AdminCustomers($filter: CustomerFilter, $orderBy: CustomerOrder, $first: Int, $after: String) {
    customers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      nodes {
        id
        name
        company
        emails
        tags
        notes
        customFields
        externalId
        createdAt
        updatedAt
        phones {
          e164
          raw
        }
        category {
          id
          name
        }
        owner {
          id
          displayName
          email
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** What the filters and the form choose from: categories, custom fields and active users. */
export const CustomerChoicesQuery = graphql(`
  query CustomerChoices {
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
    users(first: 100, active: true) {
      nodes {
        id
        email
        displayName
      }
    }
  }
`);

export const CreateCustomerMutation = graphql(`
  mutation CreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      id
      name
    }
  }
`);

export const UpdateCustomerMutation = graphql(`
  mutation UpdateCustomer($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) {
      id
      name
    }
  }
`);

export const DeleteCustomerMutation = graphql(`
  mutation DeleteCustomer($id: ID!) {
    deleteCustomer(id: $id) {
      deletedId
    }
  }
`);

export const AssignCustomersMutation = graphql(`
  mutation AssignCustomers($input: AssignCustomersInput!) {
    assignCustomers(input: $input) {
      updated
    }
  }
`);
