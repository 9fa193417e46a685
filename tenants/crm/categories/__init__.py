"""Customer categories and how routing treats them (priority, reject)."""
