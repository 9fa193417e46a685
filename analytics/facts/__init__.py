"""Facts: what the worker writes from events, idempotently (``apply.py``, ``repository.py``)."""
