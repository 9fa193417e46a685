"""CSV imports of customers: rows, matching and writing, jobs for large files."""
