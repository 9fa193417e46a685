"""The public surface: the FastAPI app, GraphQL composition, auth, errors, ops endpoints."""
