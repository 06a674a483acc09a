"""Live events: an in-process bus by default, Redis pub/sub between worker processes when configured."""
