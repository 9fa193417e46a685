"""The multi-tenant kernel: settings, database, events, identity and tenant records."""
