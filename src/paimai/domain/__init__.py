"""Pure business rules: standard library only, time passed in, decisions and events out."""
