"""Development-only tools: synthetic survey data for demos, tests, benchmarks and load tests.

Installed by the local, test, bench and loadtest settings; production settings do not
install it, so `manage.py generate_responses` does not exist in production.
"""
