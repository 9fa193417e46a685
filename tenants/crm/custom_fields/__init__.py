"""Custom fields: the tenant's field definitions and values checked against them."""
