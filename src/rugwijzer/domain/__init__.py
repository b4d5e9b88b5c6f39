"""Pure domain logic: no I/O and no framework imports."""
