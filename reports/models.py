"""The reports app keeps no data of its own: it reads programmes and metrics."""
