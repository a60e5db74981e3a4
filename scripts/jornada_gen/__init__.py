"""Jornada's demo-data generator: a simulated world rendered as raw tool exports."""
