"""The tenant's disposition codes: what agents record about a call they handled."""
