"""The tenant's CRM settings (default region), created on first use with the default categories."""
