"""Agent profiles: the skills, queues and SIP user of a user who takes calls."""
