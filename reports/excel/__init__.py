"""Workbooks the app writes and reads: the funding report and the partners' quarterly return."""
