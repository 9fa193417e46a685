"""Tickets: categories, workflows, teams, tickets and SLA reminders."""
