"""The app's WSGI application with the funding report's writer held at a gate.

For tests/test_download_server.py, which serves this under gunicorn. Before writing the
workbook, the writer reads a word from the named pipe in WIRRALSAFE_TEST_GATE, which blocks
until the test writes one: "go" lets it write the workbook, "fail" makes it raise. So the test
decides when the workbook can be finished, and whether it fails, from outside the server.
"""

import os

from wirralsafe.wsgi import application

__all__ = ["application"]


def _hold_the_writer_at_the_gate() -> None:
    # Imported only now: the app's modules need Django set up, which the import above does.
    from reports import export_views

    write_funding_report = export_views.write_funding_report

    def gated(*args, **kwargs):
        # Opening a named pipe for reading blocks until the test opens it for writing.
        with open(os.environ["WIRRALSAFE_TEST_GATE"]) as gate:
            word = gate.read().strip()
        if word == "fail":
            raise RuntimeError("failed on purpose by the test, after the download began")
        return write_funding_report(*args, **kwargs)

    export_views.write_funding_report = gated


_hold_the_writer_at_the_gate()
