"""The agent's work lists pushed live: missed-call tasks and in-app notifications."""
