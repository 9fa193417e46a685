"""The tenant's break reasons: the "not ready" states its agents may choose."""
