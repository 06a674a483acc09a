"""The simulator's pure core (`paimai simulate`, docs/testing.md): the invariants over plain data, the recorded
steps and the shrinking of a failing history. Plain Python: no database, no web, no clock; the services load
the facts (services/sim_facts.py) and the command drives the platform (adapters/cli/simulate)."""
