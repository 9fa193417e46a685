"""The GraphQL kernel every domain builds on: global ids, Node, connections, context."""
