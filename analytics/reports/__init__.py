"""Interval and real-time reports: the service, its SQL, KPI formulas and 15-minute rollups."""
