"""A real ActiveMQ broker for the black-box tests, a small STOMP peer to look
at its queues, and the `shipline worker email` process.

The broker is Debian's activemq package, run from a configuration folder the
test writes: one STOMP connector on a free loopback port (no OpenWire),
persistence under the test's temporary folder, and the virtual topic's
consumer queues declared up front (a virtual topic copies a message only into
consumer queues that exist when it is published).

With `tls=TlsFiles(...)` the broker also listens for STOMP over TLS
(`stomp+ssl://`, ActiveMQ's own scheme) on a second loopback port, with a
certificate the test makes itself (TlsFiles): the test's own peer keeps
using the plain port.

Every wait is bounded; a broker that cannot start fails the test with its log.
"""

import os
import signal
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import SHIPLINE_BIN, free_port

ACTIVEMQ_HOME = Path("/usr/share/activemq")
ACTIVEMQ_JAR = ACTIVEMQ_HOME / "bin" / "activemq.jar"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 60.0

ORDERS_TOPIC = "VirtualTopic.ep.orders"
EMAIL_QUEUE = f"Consumer.email.{ORDERS_TOPIC}"
AUDIT_QUEUE = f"Consumer.audit.{ORDERS_TOPIC}"

# The java options /usr/bin/activemq passes on Java 9 and later.
_JAVA_MODULE_OPTIONS = [
    "--add-reads=java.xml=java.logging",
    "--add-opens", "java.base/java.security=ALL-UNNAMED",
    "--add-opens", "java.base/java.net=ALL-UNNAMED",
    "--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "--add-opens", "java.base/java.util=ALL-UNNAMED",
    "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
    "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
    "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
]

_ACTIVEMQ_XML = """<beans xmlns="http://www.springframework.org/schema/beans"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans-2.0.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="shipline-test"
          useJmx="false" schedulerSupport="false" dataDirectory="{data}">
    <destinations>
{queues}
    </destinations>
    <persistenceAdapter>
      <kahaDB directory="{data}/kahadb"/>
    </persistenceAdapter>
    <systemUsage>
      <systemUsage>
        <memoryUsage><memoryUsage limit="64 mb"/></memoryUsage>
        <storeUsage><storeUsage limit="1 gb"/></storeUsage>
        <tempUsage><tempUsage limit="256 mb"/></tempUsage>
      </systemUsage>
    </systemUsage>
{ssl_context}
    <transportConnectors>
      <transportConnector name="stomp" uri="stomp://127.0.0.1:{port}"/>
{tls_connector}
    </transportConnectors>
  </broker>
</beans>
"""

_LOG4J_PROPERTIES = """log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=%d %-5p [%c{1}] %m%n
"""


_SSL_CONTEXT = """    <sslContext>
      <sslContext keyStore="file:{keystore}" keyStorePassword="{password}" keyStoreType="pkcs12"/>
    </sslContext>"""

_TLS_CONNECTOR = '''      <transportConnector name="stomp+ssl" uri="stomp+ssl://127.0.0.1:{port}"/>'''


class TlsFiles:
    """A certificate authority and a broker certificate signed by it, made with
    openssl in `folder`: ca.pem (what a client trusts), other-ca.pem (a CA
    that signed nothing here), and broker.p12 (the broker's key and
    certificate, PKCS12, for the Java key store). The certificate names
    `host` only (DNS name "localhost" by default), so that a client dialling
    127.0.0.1 sees a name that does not match."""

    PASSWORD = "shipline-test"  # guards a throwaway key store; not a secret

    def __init__(self, folder, host="localhost"):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.ca = self.folder / "ca.pem"
        self.other_ca = self.folder / "other-ca.pem"
        self.keystore = self.folder / "broker.p12"
        self._make_ca("ca", "shipline test CA")
        self._make_ca("other-ca", "shipline unrelated CA")
        f = self.folder
        self._openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                      "-nodes", "-keyout", f / "broker.key", "-out", f / "broker.csr",
                      "-subj", f"/CN={host}")
        (f / "broker.ext").write_text(
            f"subjectAltName=DNS:{host}\nextendedKeyUsage=serverAuth\n"
            "basicConstraints=critical,CA:FALSE\n")
        self._openssl("x509", "-req", "-in", f / "broker.csr", "-CA", self.ca,
                      "-CAkey", f / "ca.key", "-CAcreateserial", "-days", "2",
                      "-extfile", f / "broker.ext", "-out", f / "broker.pem")
        self._openssl("pkcs12", "-export", "-in", f / "broker.pem", "-inkey", f / "broker.key",
                      "-name", "broker", "-out", self.keystore,
                      "-passout", f"pass:{self.PASSWORD}")

    def _make_ca(self, name, subject):
        self._openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                      "-nodes", "-keyout", self.folder / f"{name}.key",
                      "-out", self.folder / f"{name}.pem", "-days", "2", "-subj", f"/CN={subject}",
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    @staticmethod
    def _openssl(*args):
        openssl = shutil.which("openssl")
        if openssl is None:
            pytest.fail("no openssl command: scripts/install-deps.sh --test installs it")
        proc = subprocess.run([openssl, *map(str, args)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=60)
        assert proc.returncode == 0, f"openssl {args[0]} failed: {proc.stdout.decode()}"


def _java():
    java = shutil.which("java") or "/usr/lib/jvm/default-java/bin/java"
    if not os.access(java, os.X_OK):
        pytest.fail("no java runtime: install Debian's activemq package "
                    "(scripts/install-deps.sh --test)")
    return java


class ActiveMq:
    """One ActiveMQ broker process with its own configuration and data folder.
    start() may be called again after stop() or kill(): the data persists."""

    def __init__(self, base_dir, queues=(EMAIL_QUEUE, AUDIT_QUEUE), port=None, tls=None):
        if not ACTIVEMQ_JAR.is_file():
            pytest.fail(f"ActiveMQ is not installed ({ACTIVEMQ_JAR} is missing): "
                        "apt-get install activemq, or scripts/install-deps.sh --test")
        self.base = Path(base_dir)
        self.conf = self.base / "conf"
        self.data = self.base / "data"
        self.tmp = self.base / "tmp"
        for folder in (self.conf, self.data, self.tmp):
            folder.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.tls_port = free_port() if tls else None
        declared = "\n".join(f'      <queue physicalName="{q}"/>' for q in queues)
        ssl_context = (_SSL_CONTEXT.format(keystore=tls.keystore, password=tls.PASSWORD)
                       if tls else "")
        tls_connector = _TLS_CONNECTOR.format(port=self.tls_port) if tls else ""
        (self.conf / "activemq.xml").write_text(
            _ACTIVEMQ_XML.format(data=self.data, port=self.port, queues=declared,
                                 ssl_context=ssl_context, tls_connector=tls_connector))
        (self.conf / "log4j.properties").write_text(_LOG4J_PROPERTIES)
        self.log_path = self.base / "activemq.log"
        self.proc = None
        self.starts = 0

    @property
    def url(self):
        return f"stomp://127.0.0.1:{self.port}"

    def tls_url(self, host="localhost"):
        """The STOMP-over-TLS connector's URL, naming the broker as `host`."""
        return f"stomp+ssl://{host}:{self.tls_port}"

    def command(self):
        return [_java(), "-Xms64M", "-Xmx256M", "-Djava.awt.headless=true",
                f"-Djava.io.tmpdir={self.tmp}", *_JAVA_MODULE_OPTIONS,
                f"-Dactivemq.classpath={self.conf}",
                f"-Dactivemq.home={ACTIVEMQ_HOME}",
                f"-Dactivemq.base={self.base}",
                f"-Dactivemq.conf={self.conf}",
                f"-Dactivemq.data={self.data}",
                "-jar", str(ACTIVEMQ_JAR), "start", f"xbean:file:{self.conf / 'activemq.xml'}"]

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout=START_TIMEOUT):
        assert not self.running(), "broker already running"
        self.starts += 1
        with open(self.log_path, "ab") as log:
            log.write(f"\n===== start {self.starts} =====\n".encode())
            self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, cwd=self.base,
                                         start_new_session=True)
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"ActiveMQ exited with {self.proc.returncode} while starting; "
                            f"log:\n{self.log_tail()}")
            try:
                StompPeer(self.port, timeout=2.0).close()
                return self
            except (OSError, StompError) as exc:
                last = exc
            time.sleep(0.25)
        self.kill()
        pytest.fail(f"ActiveMQ did not accept STOMP on port {self.port} within {timeout}s "
                    f"(last: {last!r}); log:\n{self.log_tail()}")

    def stop(self):
        """Graceful stop (SIGTERM runs the broker's shutdown hook)."""
        if not self.running():
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT)
            raise AssertionError(f"ActiveMQ did not stop within {STOP_TIMEOUT}s of SIGTERM")

    def kill(self):
        """A crash: SIGKILL, no shutdown hook."""
        if self.running():
            self.proc.send_signal(signal.SIGCONT)  # in case it was frozen
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait(timeout=STOP_TIMEOUT)

    def freeze(self):
        """SIGSTOP: the connections stay open and nothing answers, the way a
        hung broker or a silent network looks to a client."""
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.proc.send_signal(signal.SIGCONT)

    def log_tail(self, chars=6000):
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-chars:]


# -- a small STOMP 1.2 peer --------------------------------------------------

class StompError(Exception):
    pass


def _unescape(text):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append({"\\": "\\", "r": "\r", "n": "\n", "c": ":"}.get(text[i + 1], "?"))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


class Frame:
    def __init__(self, command, headers, body):
        self.command = command
        self.headers = headers  # first occurrence of each name
        self.body = body

    def __repr__(self):
        return f"Frame({self.command}, {self.headers}, {self.body[:200]!r})"


class StompPeer:
    """A blocking STOMP 1.2 client for looking at queues from the test."""

    def __init__(self, port, timeout=10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buffer = b""
        self.receipts = 0
        self.pending = []
        self._send("CONNECT", {"accept-version": "1.2", "host": "localhost",
                               "heart-beat": "0,0"}, raw=True)
        frame = self._read(time.monotonic() + timeout)
        if frame is None or frame.command != "CONNECTED":
            self.close()
            raise StompError(f"no CONNECTED: {frame!r}")

    def _send(self, command, headers, body=b"", raw=False):
        def esc(text):
            text = str(text)
            if raw:
                return text
            return (text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
                    .replace(":", "\\c"))
        head = command + "\n" + "".join(f"{esc(k)}:{esc(v)}\n" for k, v in headers.items())
        self.sock.sendall(head.encode() + b"\n" + body + b"\0")

    def _read(self, deadline):
        while True:
            frame = self._parse()
            if frame is not None:
                return frame
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(min(left, 1.0))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise StompError("connection closed by the broker")
            self.buffer += chunk

    def _parse(self):
        self.buffer = self.buffer.lstrip(b"\r\n")
        end = self.buffer.find(b"\n\n")
        end_crlf = self.buffer.find(b"\r\n\r\n")
        if end < 0 and end_crlf < 0:
            return None
        if end < 0 or (0 <= end_crlf < end):
            head, body_start = self.buffer[:end_crlf], end_crlf + 4
        else:
            head, body_start = self.buffer[:end], end + 2
        lines = head.decode().replace("\r\n", "\n").split("\n")
        command, headers = lines[0], {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if command != "CONNECTED":
                name, value = _unescape(name), _unescape(value)
            headers.setdefault(name, value)
        if "content-length" in headers:
            n = int(headers["content-length"])
            if len(self.buffer) < body_start + n + 1:
                return None
            body = self.buffer[body_start:body_start + n]
            self.buffer = self.buffer[body_start + n + 1:]
        else:
            nul = self.buffer.find(b"\0", body_start)
            if nul < 0:
                return None
            body = self.buffer[body_start:nul]
            self.buffer = self.buffer[nul + 1:]
        frame = Frame(command, headers, body.decode("utf-8", errors="replace"))
        if command == "ERROR":
            raise StompError(f"ERROR from the broker: {frame!r}")
        return frame

    def _request(self, command, headers, timeout=10.0):
        self.receipts += 1
        receipt = f"t-{self.receipts}"
        self._send(command, {**headers, "receipt": receipt})
        deadline = time.monotonic() + timeout
        while True:
            frame = self._read(deadline)
            if frame is None:
                raise StompError(f"no receipt for {command} within {timeout}s")
            if frame.command == "RECEIPT" and frame.headers.get("receipt-id") == receipt:
                return
            if frame.command == "MESSAGE":
                self.pending.append(frame)

    def subscribe(self, destination, sub_id="0"):
        self._request("SUBSCRIBE", {"id": sub_id, "destination": destination,
                                    "ack": "client-individual"})

    def receive(self, timeout):
        """The next MESSAGE within timeout seconds (acknowledged), or None."""
        if self.pending:
            frame = self.pending.pop(0)
        else:
            deadline = time.monotonic() + timeout
            while True:
                frame = self._read(deadline)
                if frame is None:
                    return None
                if frame.command == "MESSAGE":
                    break
        self._request("ACK", {"id": frame.headers["ack"]})
        return frame

    def drain(self, until=None, timeout=120.0, quiet=3.0):
        """Receives until until(frames) is true (at most `timeout` seconds),
        then on until no message came for `quiet` seconds, so that repeats
        show. Returns the frames in arrival order."""
        frames = []
        deadline = time.monotonic() + timeout
        while until is not None and not until(frames) and time.monotonic() < deadline:
            frame = self.receive(min(1.0, max(0.05, deadline - time.monotonic())))
            if frame is not None:
                frames.append(frame)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            frame = self.receive(quiet)
            if frame is None:
                break
            frames.append(frame)
        return frames

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# -- `shipline worker email` ------------------------------------------------------

class EmailWorkerProcess:
    """The email handler as its own process, consuming the broker's email queue."""

    def __init__(self, data_dir, broker_url, smtp_url=None, mail_from=None, extra_args=()):
        self.data_dir = Path(data_dir)
        self.args = ["worker", "email", "--broker", broker_url, "--data", str(self.data_dir)]
        if smtp_url:
            self.args += ["--smtp", smtp_url]
        if mail_from:
            self.args += ["--mail-from", mail_from]
        self.args += list(extra_args)
        self.proc = None
        self.starts = 0
        self.stderr_paths = []

    def start(self):
        self.starts += 1
        path = self.data_dir / f"email-worker-{self.starts}.log"
        self.stderr_paths.append(path)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("SHIPLINE_") or k == "SHIPLINE_BIN"}
        with open(path, "wb") as err:
            self.proc = subprocess.Popen([SHIPLINE_BIN, *self.args], stdout=subprocess.DEVNULL,
                                         stderr=err, stdin=subprocess.DEVNULL, env=env)
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=20.0):
        """SIGTERM and wait; returns the exit code. Fails if it does not stop."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=timeout)
                raise AssertionError(f"worker email did not stop within {timeout}s of SIGTERM")
        return self.proc.returncode

    def stderr_text(self):
        return "".join(p.read_text(errors="replace") for p in self.stderr_paths if p.exists())
