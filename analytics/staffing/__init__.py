"""Erlang B and C staffing maths and its GraphQL queries."""
