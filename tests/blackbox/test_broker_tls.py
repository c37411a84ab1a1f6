"""The broker connection over TLS: a real ActiveMQ (Debian's activemq) with a
`stomp+ssl://` connector and a certificate the test makes (openssl), for the
DNS name "localhost" only, signed by a CA of the test's own.

`serve` publishes and `worker email` consumes over TLS when they trust that
CA (--broker-ca-file). A node that cannot verify the broker (a CA that did
not sign its certificate, a host name the certificate does not carry) says
why in its log, publishes nothing and keeps its events; given the right CA
it publishes every one of them once. Logins never travel in clear beyond
loopback unless the operator allows it.
"""

import pytest

from broker_support import AUDIT_QUEUE, ActiveMq, EmailWorkerProcess, StompPeer, TlsFiles
from conftest import TRACKING, order_body, run_cli, wait_until

MAIL_FROM = "shipping@shop.example"
TIMEOUT = 120.0
# The broker ignores logins (no authentication plugin): this one only shows
# that a passcode never reaches a log line.
PASSCODE = "tls-test-passcode-7f3a"


@pytest.fixture
def tls(tmp_path):
    return TlsFiles(tmp_path / "tls")


@pytest.fixture
def tls_broker(tmp_path, tls):
    mq = ActiveMq(tmp_path / "activemq", tls=tls)
    mq.start()
    yield mq
    mq.kill()


def _login_url(broker, host="localhost"):
    return broker.tls_url(host).replace("://", f"://shipline:{PASSCODE}@", 1)


def _ship(shipline, number):
    shipline.create_order(order_body(number, email_addr=f"c{number}@example.com"))
    r = shipline.complete(f"{number}-1", TRACKING)
    assert r.status == 200, r.body


def _broker_position(shipline):
    """The newest event id the broker publisher has handed over (0: none).
    The consumer is listed once it has saved a position."""
    consumers = shipline.request("GET", "/api/v1/consumers").body["consumers"]
    return {c["consumer"]: c for c in consumers}.get("broker", {}).get("position") or 0


def _newest_event_id(shipline):
    return shipline.request("GET", "/api/v1/consumers").body["newestEventId"]


def _audit_subjects(broker, count):
    """The event subjects on the audit queue (read through the plain port),
    until `count` came and then a quiet spell, so that repeats show."""
    peer = StompPeer(broker.port)
    try:
        peer.subscribe(f"/queue/{AUDIT_QUEUE}")
        frames = peer.drain(until=lambda frames: len(frames) >= count, timeout=TIMEOUT)
    finally:
        peer.close()
    return sorted(f.headers["event-subject"] for f in frames)


def _assert_no_secret(*texts):
    for text in texts:
        assert PASSCODE not in text


def test_serve_publishes_and_worker_email_consumes_over_tls(make_shipline, tls_broker, tls,
                                                           smtp_sink):
    url = _login_url(tls_broker)
    s = make_shipline(extra_args=["--broker", url, "--broker-ca-file", str(tls.ca),
                                  "--email-worker", "off"])
    worker = EmailWorkerProcess(s.data_dir, url, smtp_sink.url, MAIL_FROM,
                                extra_args=[*s.database_args(), "--broker-ca-file", str(tls.ca)])
    worker.start()
    try:
        numbers = ["710001", "710002", "710003"]
        for number in numbers:
            _ship(s, number)

        messages = smtp_sink.wait_for(len(numbers), timeout=TIMEOUT)
        recipients = sorted(m["rcpt_tos"][0].lower() for m in messages)
        assert recipients == [f"c{n}@example.com" for n in numbers]

        events = [e for e in s.events() if e["topic"] == "VirtualTopic.ep.orders"]
        assert _audit_subjects(tls_broker, len(events)) == sorted(e["subject"] for e in events)
        assert wait_until(lambda: _broker_position(s) == _newest_event_id(s), TIMEOUT)
    finally:
        assert worker.stop() == 0
    log = s.all_stderr()
    assert '"msg":"broker connected"' in log and "stomp+ssl://shipline@localhost:" in log
    assert '"msg":"broker subscribed"' in worker.stderr_text()
    _assert_no_secret(log, worker.stderr_text())


def test_a_broker_that_cannot_be_verified_gets_nothing_until_the_right_ca(make_shipline,
                                                                         tls_broker, tls):
    # The right CA, but dialling 127.0.0.1: the certificate names localhost only.
    s = make_shipline(extra_args=["--broker", _login_url(tls_broker, "127.0.0.1"),
                                  "--broker-ca-file", str(tls.ca), "--email-worker", "off"])
    _ship(s, "720001")
    assert wait_until(lambda: "broker publish failed" in s.stderr_text(), TIMEOUT)
    failure = s.stderr_text()
    assert "TLS handshake with stomp+ssl://shipline@127.0.0.1:" in failure
    assert "IP address mismatch" in failure

    # The right name, a CA that signed nothing of the broker's.
    s.stop()
    s.extra_args = ["--broker", _login_url(tls_broker), "--broker-ca-file", str(tls.other_ca),
                    "--email-worker", "off"]
    s.start()
    _ship(s, "720002")
    assert wait_until(lambda: "broker publish failed" in s.stderr_text(), TIMEOUT)
    failure = s.stderr_text()
    assert "certificate verify failed" in failure
    assert "unable to get local issuer certificate" in failure
    assert f"trusting the CA file {tls.other_ca}" in failure
    # The system's trust store does not know the test's CA either.
    s.stop()
    s.extra_args = ["--broker", _login_url(tls_broker), "--email-worker", "off"]
    s.start()
    assert wait_until(lambda: "broker publish failed" in s.stderr_text(), TIMEOUT)
    assert "trusting the system's trust store" in s.stderr_text()

    # Nothing went out, and the node still holds every event.
    peer = StompPeer(tls_broker.port)
    try:
        peer.subscribe(f"/queue/{AUDIT_QUEUE}")
        assert peer.receive(2.0) is None
    finally:
        peer.close()
    assert _broker_position(s) == 0 < _newest_event_id(s)
    assert s.request("GET", "/readyz").status == 200  # a broker that is down is not fatal

    s.stop()
    s.extra_args = ["--broker", _login_url(tls_broker), "--broker-ca-file", str(tls.ca),
                    "--email-worker", "off"]
    s.start()
    events = [e for e in s.events() if e["topic"] == "VirtualTopic.ep.orders"]
    assert _audit_subjects(tls_broker, len(events)) == sorted(e["subject"] for e in events)
    assert wait_until(lambda: _broker_position(s) == _newest_event_id(s), TIMEOUT)
    _assert_no_secret(s.all_stderr())


def test_worker_email_says_why_it_cannot_verify_the_broker(tmp_path, tls_broker, tls):
    worker = EmailWorkerProcess(tmp_path / "worker", _login_url(tls_broker),
                                extra_args=["--broker-ca-file", str(tls.other_ca)])
    (tmp_path / "worker").mkdir()
    worker.start()
    try:
        assert wait_until(lambda: "email consumer failed" in worker.stderr_text(), TIMEOUT)
    finally:
        assert worker.stop() == 0
    assert "unable to get local issuer certificate" in worker.stderr_text()
    _assert_no_secret(worker.stderr_text())


def test_broker_tls_and_login_settings_are_checked_before_starting(tmp_path, make_shipline):
    def serve(*args):
        return run_cli("serve", "--listen", "127.0.0.1:0", "--data", str(tmp_path / "a"),
                       "--metrics-listen", "off", *args)

    # A login would travel in clear to a host that is not loopback.
    clear = serve("--broker", f"stomp://shipline:{PASSCODE}@192.0.2.10:61613")
    assert clear.returncode == 2, clear.stderr.decode(errors="replace")
    assert b"--broker-allow-plaintext-login" in clear.stderr
    assert PASSCODE.encode() not in clear.stderr + clear.stdout
    assert b"admin API key" not in clear.stdout
    worker = run_cli("worker", "email", "--data", str(tmp_path / "b"),
                     "--broker", f"stomp://shipline:{PASSCODE}@192.0.2.10")
    assert worker.returncode == 2 and b"stomp+ssl://" in worker.stderr

    # A CA file only means something for stomp+ssl://, and must hold certificates.
    not_tls = serve("--broker", "stomp://127.0.0.1:61613", "--broker-ca-file", "/dev/null")
    assert not_tls.returncode == 2 and b"stomp+ssl://" in not_tls.stderr
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    bad_ca = serve("--broker", "stomp+ssl://localhost:61614", "--broker-ca-file", str(junk))
    assert bad_ca.returncode == 2 and str(junk).encode() in bad_ca.stderr
    missing = serve("--broker", "stomp+ssl://localhost", "--broker-ca-file",
                    str(tmp_path / "absent.pem"))
    assert missing.returncode == 2

    # The same settings from the configuration file and the environment.
    config = tmp_path / "shipline.toml"
    config.write_text(f'broker = "stomp+ssl://localhost"\nbroker-ca-file = "{junk}"\n')
    from_file = serve("--config", str(config))
    assert from_file.returncode == 2 and str(junk).encode() in from_file.stderr
    config.write_text(f'broker = "stomp://shipline:{PASSCODE}@192.0.2.10"\n'
                      "broker-allow-plaintext-login = true\n")
    assert run_cli("config", "check", str(config)).returncode == 0

    # With the operator's say-so (here from the environment) the node starts;
    # the broker, on a documentation address, is simply unreachable.
    s = make_shipline(extra_args=["--broker", f"stomp://shipline:{PASSCODE}@192.0.2.10:61613",
                                  "--email-worker", "off"],
                      env={"SHIPLINE_BROKER_ALLOW_PLAINTEXT_LOGIN": "true"})
    assert s.request("GET", "/readyz").status == 200
    s.stop()
    _assert_no_secret(s.all_stderr(), s.stdout_text())
