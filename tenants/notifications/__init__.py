"""In-app notifications for users (SLA reminders and the like)."""
