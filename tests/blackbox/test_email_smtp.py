"""The shipment confirmation email over real SMTP (aiosmtpd on loopback)."""

import time

from conftest import TRACKING, order_body

MAIL_FROM = "shipping@shop.example"


def _two_item_order(number="200001", email_addr="grace@example.com"):
    return order_body(
        number,
        email_addr=email_addr,
        line_items=[
            {"sku": "SKU-WIDGET", "title": "Widget", "quantity": 2, "unitPrice": "10.50"},
            {"sku": "SKU-GADGET", "title": "Gadget", "quantity": 1, "unitPrice": "5.00"},
        ],
        shipments=[(f"{number}-1", "RELEASED", [("SKU-WIDGET", 2), ("SKU-GADGET", 1)])],
        amount_authorized="26.00",
    )


def _text_of(message):
    part = message.get_body(preferencelist=("plain", "html"))
    assert part is not None, message.as_string()[:2000]
    return part.get_content()


def _assert_confirmation(entry, number, to):
    msg = entry["message"]
    assert [r.lower() for r in entry["rcpt_tos"]] == [to]
    assert to in str(msg["To"]).lower()
    assert MAIL_FROM in str(msg["From"])
    assert entry["mail_from"] == MAIL_FROM
    assert msg["Subject"]
    assert msg["Message-ID"]
    assert msg["Date"]
    text = _text_of(msg)
    for needle in (number, f"{number}-1", TRACKING, "SKU-WIDGET", "SKU-GADGET"):
        assert needle in text, f"{needle!r} not in the email body:\n{text}"


def test_confirmation_email_over_smtp(make_shipline, smtp_sink):
    s = make_shipline(extra_args=["--smtp", smtp_sink.url, "--mail-from", MAIL_FROM])
    s.create_order(_two_item_order("200001"))
    r = s.complete("200001-1", TRACKING)
    assert r.status == 200, r.body

    messages = smtp_sink.wait_for(1, timeout=30)
    assert len(messages) == 1, "no email arrived over SMTP"
    _assert_confirmation(messages[0], "200001", "grace@example.com")

    time.sleep(2.0)  # bounded: a duplicate would arrive here
    assert smtp_sink.count() == 1
    # With SMTP configured, no .eml file is written.
    assert s.eml_files() == []


def test_smtp_configured_through_environment(make_shipline, smtp_sink):
    s = make_shipline(env={"SHIPLINE_SMTP": smtp_sink.url, "SHIPLINE_MAIL_FROM": MAIL_FROM})
    s.create_order(_two_item_order("200002"))
    assert s.complete("200002-1", TRACKING).status == 200
    messages = smtp_sink.wait_for(1, timeout=30)
    assert len(messages) == 1
    _assert_confirmation(messages[0], "200002", "grace@example.com")


def test_one_email_per_shipment_to_each_customer(make_shipline, smtp_sink):
    s = make_shipline(extra_args=["--smtp", smtp_sink.url, "--mail-from", MAIL_FROM])
    s.create_order(_two_item_order("200003", "one@example.com"))
    s.create_order(_two_item_order("200004", "two@example.com"))
    assert s.complete("200003-1", TRACKING).status == 200
    assert s.complete("200004-1", TRACKING).status == 200
    messages = smtp_sink.wait_for(2, timeout=30)
    assert len(messages) == 2
    by_rcpt = {m["rcpt_tos"][0].lower(): m for m in messages}
    assert set(by_rcpt) == {"one@example.com", "two@example.com"}
    _assert_confirmation(by_rcpt["one@example.com"], "200003", "one@example.com")
    _assert_confirmation(by_rcpt["two@example.com"], "200004", "two@example.com")
    time.sleep(1.0)
    assert smtp_sink.count() == 2


def test_no_email_for_failed_completion(make_shipline, smtp_sink):
    s = make_shipline(extra_args=["--smtp", smtp_sink.url, "--mail-from", MAIL_FROM])
    s.create_order(_two_item_order("200005"))
    s.create_order(order_body("200006", status="PENDING"))
    assert s.complete("200006-1", TRACKING).status == 400
    assert s.complete("nope", TRACKING).status == 404
    time.sleep(2.0)
    assert smtp_sink.count() == 0


def test_eml_file_when_no_smtp(make_shipline):
    s = make_shipline(extra_args=["--mail-from", MAIL_FROM])
    s.create_order(_two_item_order("200007"))
    assert s.complete("200007-1", TRACKING).status == 200
    files = s.wait_eml(1, timeout=20)
    assert len(files) == 1
    msg = s.read_eml(files[0])
    assert "grace@example.com" in str(msg["To"]).lower()
    assert MAIL_FROM in str(msg["From"])
    text = _text_of(msg)
    for needle in ("200007", "200007-1", TRACKING, "SKU-WIDGET", "SKU-GADGET"):
        assert needle in text, f"{needle!r} not in the email body:\n{text}"


def test_customer_name_cannot_inject_headers(make_shipline, smtp_sink):
    s = make_shipline(extra_args=["--smtp", smtp_sink.url, "--mail-from", MAIL_FROM])
    body = _two_item_order("200008")
    body["customer"]["name"] = "Eve\r\nBcc: victim@evil.example\r\nSubject: pwned"
    r = s.request("POST", "/api/v1/orders", body=body)
    if r.status == 400:
        return  # refusing such a name is fine too
    assert r.status == 201, r.body
    assert s.complete("200008-1", TRACKING).status == 200
    messages = smtp_sink.wait_for(1, timeout=30)
    assert len(messages) == 1
    m = messages[0]
    assert m["rcpt_tos"] == ["grace@example.com"]
    assert m["message"]["Bcc"] is None
    assert "pwned" not in str(m["message"]["Subject"])
    assert len(m["message"].get_all("Subject")) == 1


def test_rejected_recipient_does_not_block_later_email(make_shipline, smtp_sink):
    """A permanent SMTP refusal (550) for one customer must not hold back the
    emails of the shipments after it."""
    smtp_sink.reject_rcpts.add("bounce@example.com")
    s = make_shipline(extra_args=["--smtp", smtp_sink.url, "--mail-from", MAIL_FROM])
    s.create_order(_two_item_order("200010", "bounce@example.com"))
    s.create_order(_two_item_order("200011", "fine@example.com"))
    assert s.complete("200010-1", TRACKING).status == 200
    assert s.complete("200011-1", TRACKING).status == 200
    messages = smtp_sink.wait_for(1, timeout=30)
    assert len(messages) == 1, "the email after a refused one never arrived"
    _assert_confirmation(messages[0], "200011", "fine@example.com")
    assert s.running()


def test_pending_emails_go_out_as_one_batch_over_one_connection(make_shipline, smtp_sink):
    """Emails that wait for the handler are sent together: one SMTP connection
    for the batch, each message once."""
    s = make_shipline(extra_args=["--email-worker", "off"])
    numbers = [f"2000{20 + i}" for i in range(3)]
    for number in numbers:
        s.create_order(_two_item_order(number, f"{number}@example.com"))
        assert s.complete(f"{number}-1", TRACKING).status == 200
    s.stop()
    s.extra_args = ["--smtp", smtp_sink.url, "--mail-from", MAIL_FROM]
    s.start()
    messages = smtp_sink.wait_for(3, timeout=30)
    assert sorted(m["rcpt_tos"][0] for m in messages) == [f"{n}@example.com" for n in numbers]
    assert len({m["peer"] for m in messages}) == 1, [m["peer"] for m in messages]
    for m in messages:
        number = m["rcpt_tos"][0].split("@")[0]
        _assert_confirmation(m, number, f"{number}@example.com")
    time.sleep(1.0)  # bounded: a duplicate would arrive here
    assert smtp_sink.count() == 3


def test_credentials_are_never_sent_without_tls(make_shipline):
    """A server that offers AUTH but no STARTTLS: shipline, holding a password,
    sends no AUTH (nor the message) and says why in its log."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from conftest import free_port

    attempts = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        attempts.append(mechanism)
        return AuthResult(success=True)

    class Accept:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            attempts.append("DATA")
            return "250 OK"

    port = free_port()
    controller = Controller(Accept(), hostname="127.0.0.1", port=port,
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    try:
        s = make_shipline(extra_args=["--smtp", f"smtp://shop:smtp-pass-93e1@127.0.0.1:{port}",
                                      "--mail-from", MAIL_FROM])
        s.create_order(_two_item_order("200099"))
        assert s.complete("200099-1", TRACKING).status == 200
        deadline = time.monotonic() + 30
        while "offers no STARTTLS" not in s.stderr_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "offers no STARTTLS" in s.stderr_text()
        assert attempts == []
        assert "smtp-pass-93e1" not in s.stderr_text() + s.stdout_text()
    finally:
        controller.stop()
