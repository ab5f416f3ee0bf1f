"""The daily summary: taking the Z saves the day's summary as a PDF and mails it through
the venue's SMTP server (here a tiny SMTP sink on 127.0.0.1); a mail server that does not
answer neither holds up nor fails the Z."""

from __future__ import annotations

import email
import socketserver
import threading
import time
import uuid
from email import policy
from pathlib import Path

import pytest
from factories import make_check, make_item, make_staff, make_table, signed_in

from pos.reports import daily


class SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to take a message: every command answered yes."""

    def handle(self) -> None:
        self.wfile.write(b"220 sink ready\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self.wfile.write(b"250 sink\r\n")
            elif command == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = []
                while (part := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(part[1:] if part.startswith(b"..") else part)
                self.server.messages.append(b"".join(data))
                self.wfile.write(b"250 taken\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def sink():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpSink)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def summaries(app, db, monkeypatch):
    """Summaries on (tests have them off), the mail retried at once."""
    monkeypatch.setattr(daily, "RETRY_AFTER", (0.05, 0.05))
    callback = daily.after_commit(app)
    db.after_commit.append(callback)
    yield
    db.after_commit.remove(callback)


def a_paid_check(app, db) -> None:
    waiter = signed_in(app, make_staff(db, "waiter"))
    cashier = signed_in(app, make_staff(db, "cashier"))
    check = make_check(waiter, table=make_table(db), lines=[make_item(db, price=42_00)])
    bill = cashier.get(f"/api/v1/checks/{check['id']}/bills").get_json()["bills"][0]
    paid = cashier.post(f"/api/v1/checks/{check['id']}/payments", json={
        "client_id": str(uuid.uuid4()), "bill": bill["number"], "tender": "cash",
        "amount": bill["due"]})
    assert paid.status_code == 201, paid.get_json()


def wait_for(condition, what: str):
    for _ in range(600):
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


def test_the_z_saves_the_days_summary_and_mails_it(app, db, sink, summaries):
    app.config.update(MASA_SMTP_HOST="127.0.0.1", MASA_SMTP_PORT=sink.server_address[1],
                      MASA_SMTP_FROM="masa@bistro.test",
                      MASA_DAILY_SUMMARY_TO="ana@bistro.test, dan@bistro.test")
    a_paid_check(app, db)
    manager = signed_in(app, make_staff(db, "manager"))
    z = manager.post("/api/v1/reports/z", json={"client_id": str(uuid.uuid4())})
    assert z.status_code == 201, z.get_json()
    number = z.get_json()["number"]

    raw = wait_for(lambda: sink.messages and sink.messages[0], "the summary mailed")
    message = email.message_from_bytes(raw, policy=policy.default)
    assert f"Z {number}" in message["Subject"]
    assert message["To"] == "ana@bistro.test, dan@bistro.test"
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF")
    saved = wait_for(lambda: list((Path(app.instance_path) / daily.FOLDER).glob(
        f"*-z{number}.pdf")), "the summary saved")
    assert saved[0].read_bytes() == pdf


def test_a_mail_server_that_does_not_answer_neither_holds_up_nor_fails_the_z(
        app, db, summaries, caplog):
    app.config.update(MASA_SMTP_HOST="127.0.0.1", MASA_SMTP_PORT=9,  # nothing listens there
                      MASA_DAILY_SUMMARY_TO="ana@bistro.test")
    a_paid_check(app, db)
    manager = signed_in(app, make_staff(db, "manager"))
    z = manager.post("/api/v1/reports/z", json={"client_id": str(uuid.uuid4())})
    assert z.status_code == 201, z.get_json()
    number = z.get_json()["number"]
    wait_for(lambda: f"the daily summary of Z {number} was not sent; it is saved"
             in caplog.text, "the mail given up")
    assert list((Path(app.instance_path) / daily.FOLDER).glob(f"*-z{number}.pdf"))
