"""locust user journeys, one module per journey; ``loadtest/locustfile.py`` re-exports them."""
