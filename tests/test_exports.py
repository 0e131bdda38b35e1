"""Downloads start at once: headers first, then the file as it is built, and nothing left over."""

import io
import logging

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from openpyxl import Workbook, load_workbook

from wirralsafe.exports import CHUNK_BYTES, XLSX_TYPE, csv_response, xlsx_file_response


class RecordingWriter:
    """Writes a workbook of `rows` rows, noting when it is called and the file it was given."""

    def __init__(self, rows: int = 3, fail_after_writing: bool = False):
        self.rows = rows
        self.fail_after_writing = fail_after_writing
        self.calls = 0
        self.handles = []

    def __call__(self, handle):
        self.calls += 1
        self.handles.append(handle)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Rows")
        sheet.append(["Number", "Words"])
        for n in range(self.rows):
            # Text that does not compress, so that a few thousand rows make several chunks.
            sheet.append([n, f"row {n} {n * 7919 % 104729:x} {n * n:o}"])
        workbook.save(handle)
        if self.fail_after_writing:
            raise RuntimeError("the database went away")


def close_as_a_server_does(response):
    """What a WSGI server does when the client goes away: stop iterating and close.

    Closing also ends the request (request_finished), whose database clean-up is held off as
    the test client holds it off: these tests have no database to clean up."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_the_response_streams_an_attachment_whose_first_chunk_comes_before_any_building():
    writer = RecordingWriter()
    response = xlsx_file_response(writer, "report-2018-19.xlsx")
    assert response.streaming
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="report-2018-19.xlsx"'
    assert writer.calls == 0
    chunks = iter(response.streaming_content)
    assert next(chunks) == b""
    assert writer.calls == 0
    body = b"".join(chunks)
    assert writer.calls == 1
    sheet = load_workbook(io.BytesIO(body), read_only=True)["Rows"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Number", "Words"]
    assert [r[0] for r in rows[1:]] == [0, 1, 2]


def test_a_large_workbook_goes_out_in_bounded_chunks_and_its_file_is_closed():
    writer = RecordingWriter(rows=20_000)
    response = xlsx_file_response(writer, "big.xlsx")
    chunks = list(response.streaming_content)
    assert chunks[0] == b""
    assert len(chunks) > 3
    assert all(0 < len(c) <= CHUNK_BYTES for c in chunks[1:])
    sheet = load_workbook(io.BytesIO(b"".join(chunks)), read_only=True)["Rows"]
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 20_001
    assert writer.handles[0].closed


def test_a_download_given_up_midway_closes_its_file():
    writer = RecordingWriter(rows=20_000)
    response = xlsx_file_response(writer, "big.xlsx")
    chunks = iter(response.streaming_content)
    next(chunks)
    assert len(next(chunks)) == CHUNK_BYTES
    assert not writer.handles[0].closed
    close_as_a_server_does(response)
    assert writer.handles[0].closed


def test_a_download_given_up_before_it_is_built_builds_nothing():
    writer = RecordingWriter()
    response = xlsx_file_response(writer, "report.xlsx")
    chunks = iter(response.streaming_content)
    assert next(chunks) == b""
    close_as_a_server_does(response)
    assert writer.calls == 0
    assert list(chunks) == []


def test_a_failure_after_the_headers_is_logged_and_breaks_off_the_download(caplog):
    writer = RecordingWriter(fail_after_writing=True)
    response = xlsx_file_response(writer, "report-2018-19.xlsx")
    received = []
    caplog.set_level(logging.ERROR, logger="wirralsafe.exports")
    with pytest.raises(RuntimeError, match="the database went away"):
        # Raised to the server, which then drops the connection before the end of the body.
        for chunk in response.streaming_content:
            received.append(chunk)
    # The whole workbook was written before the failure, yet none of it went out.
    assert received == [b""]
    assert writer.handles[0].closed
    [record] = [r for r in caplog.records if r.name == "wirralsafe.exports"]
    assert record.levelno == logging.ERROR
    assert "report-2018-19.xlsx" in record.getMessage()
    assert record.exc_info[0] is RuntimeError


def test_a_csv_download_begins_before_its_rows_are_read():
    read = []

    def table():
        read.append(True)
        return ["Name", "Figure"], iter([["Target Hardening", 412]])

    response = csv_response("programmes", table)
    assert response["Content-Disposition"] == 'attachment; filename="programmes.csv"'
    chunks = iter(response.streaming_content)
    assert next(chunks) == b""
    assert read == []
    assert b"".join(chunks).decode("utf-8-sig") == "Name,Figure\r\nTarget Hardening,412\r\n"
    assert read == [True]
