"""Customers: their phones, notes, owners and custom values."""
