"""GraphQL schema composition and the extensions every operation runs through."""
