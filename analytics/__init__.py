"""Analytics: events → facts, KPI formulas, reports, Erlang staffing and metrics."""
