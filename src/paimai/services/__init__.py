"""Use cases: load and lock, ask the domain, save, record events. Services never commit."""
