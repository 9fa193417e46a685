"""Identity: tenants, users, roles, API keys, signup, login and tokens."""
