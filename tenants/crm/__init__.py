"""CRM: customers, phone numbers, categories, custom fields, caller lookup."""
