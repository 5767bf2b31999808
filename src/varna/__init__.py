"""Värna: a municipality's action plan against violent extremism, as a working system."""
