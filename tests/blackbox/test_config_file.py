"""The configuration file (issue 17): every serve option under its flag's name
in TOML, with flags > environment > file > defaults, secrets read from files,
and a bad file stopping the start with its path, line and key named."""

import json
import re
from pathlib import Path

from conftest import SHIPLINE_BIN, Shipline, free_port, order_body, run_cli


def write(path, text):
    path.write_text(text)
    return path


def listening_line(server):
    for line in server.stderr_text().splitlines():
        if '"msg":"listening"' in line:
            return json.loads(line)
    return None


class FileConfigured(Shipline):
    """A server whose only flag is --config: the file names its address and folder."""

    def __init__(self, data_dir, config_path):
        super().__init__(data_dir)
        self.config_path = config_path

    def command(self):
        return [SHIPLINE_BIN, "serve", "--config", str(self.config_path)]


def test_the_file_configures_serve_and_a_secret_comes_from_a_file(tmp_path, payment_server):
    secret_file = write(tmp_path / "payment-secret", "sk_from_a_file_17\n")
    data = tmp_path / "data"
    server = FileConfigured(data, tmp_path / "shipline.toml")
    database = f'database = "{server.database}"' if server.database else ""
    write(server.config_path, f'''
listen = "127.0.0.1:{server.port}"
data = "{data}"
{database}
metrics-listen = "off"
# Payments through the local Stripe-style server, its secret out of the file.
payment-provider = "http"
payment-url = "{payment_server.url}"
payment-secret-file = "{secret_file}"
io-threads = 1
access-log = false
''')
    try:
        server.start()
        line = listening_line(server)
        assert line["payment_provider"] == "http"
        assert line["address"].endswith(f":{server.port}")
        server.create_order(order_body("17001"))
        r = server.complete("17001-1", tracking="1Z999AA10123456784")
        assert r.status == 200, r.body
        captures = payment_server.captured()
        assert captures and captures[0]["headers"]["authorization"] == "Bearer sk_from_a_file_17"
        assert "sk_from_a_file_17" not in server.all_stderr()
        # access-log = false: no request line in the log.
        assert '"path":"/api/v1/orders"' not in server.stderr_text()
    finally:
        server.stop(check=False)


def test_flags_beat_the_environment_which_beats_the_file(make_shipline, tmp_path):
    flag_port, env_port, file_port = free_port(), free_port(), free_port()
    data = tmp_path / "data"
    path = write(tmp_path / "s.toml",
                 f'listen = "127.0.0.1:{file_port}"\ndata = "{data}"\nmetrics-listen = "off"\n'
                 'mail-from = "file@example.com"\n')
    # The environment beats the file.
    server = make_shipline(extra_args=["--config", str(path)], data_dir=data,
                           use_env_config=True, port=env_port)
    assert listening_line(server)["address"].endswith(f":{env_port}")
    server.stop()
    # A flag beats both.
    server.extra_args = ["--config", str(path), "--listen", f"127.0.0.1:{flag_port}"]
    server.port = flag_port
    server.start()
    assert listening_line(server)["address"].endswith(f":{flag_port}")


def test_a_bad_file_stops_the_start_naming_file_line_and_key(tmp_path):
    cases = {
        'listen = "127.0.0.1:0"\nno-such-key = 1\n': ":2: no-such-key: unknown key",
        'io-threads = "four"\n': ":1: io-threads: expects a number",
        'payment-provider = "cash"\n': ":1: payment-provider:",
        'database-readers = 0\n': ":1: database-readers:",
        'access-log = "no"\n': ":1: access-log: expects true or false",
        'listen = \n': ":1:",
        'payment-secret-file = "/nonexistent/secret"\n': ":1: payment-secret-file: cannot read",
    }
    for number, (text, expected) in enumerate(cases.items()):
        path = write(tmp_path / f"bad{number}.toml", text)
        proc = run_cli("serve", "--config", str(path), "--data", str(tmp_path / "d"),
                       "--metrics-listen", "off", "--listen", "127.0.0.1:0", timeout=30)
        err = proc.stderr.decode()
        assert proc.returncode == 2, (text, err)
        assert f"{path}{expected}" in err, (text, err)
        check = run_cli("config", "check", str(path))
        assert check.returncode == 2 and f"{path}{expected}" in check.stderr.decode(), text
    assert not (tmp_path / "d").exists()  # nothing was started



def test_every_usage_error_exits_2_and_help_exits_0(tmp_path):
    # The units' RestartPreventExitStatus=2: a wrong command line, like a wrong
    # file, is not restarted by systemd; it cannot fix itself.
    cases = [
        ("serve", "--no-such-flag"),
        ("serve", "--io-threads", "four"),
        ("worker", "email", "--no-such-flag"),
        ("no-such-command",),
        ("keys", "create"),  # --tenant and --name are required
    ]
    for args in cases:
        proc = run_cli(*args, "--data", str(tmp_path / "d"))
        assert proc.returncode == 2, (args, proc.stderr.decode())
        assert proc.stderr.decode().strip(), args
    assert run_cli("serve", "--help").returncode == 0
    assert run_cli("--version").returncode == 0
    assert not (tmp_path / "d").exists()


PACKAGED_CONFIG = Path(__file__).resolve().parents[2] / "packaging" / "shipline.toml"


def test_the_packaged_file_names_every_serve_option_and_each_example_is_valid(tmp_path):
    text = PACKAGED_CONFIG.read_text()
    # Every example key, uncommented; the secret files get a file that exists.
    secret = write(tmp_path / "secret", "s")
    lines = []
    for line in text.splitlines():
        match = re.match(r"^# ?([a-z-]+ = .*?)(\s+#.*)?$", line)
        if match:
            line = match.group(1)
        if re.match(r"^[a-z-]+-file = ", line):
            line = line.split(" = ")[0] + f' = "{secret}"'
        lines.append(line)
    # A key names its flag, or (a secret's "-file" form) the flag without "-file".
    names = [line.split(" = ")[0] for line in lines if re.match(r"^[a-z-]+ = ", line)]
    keys = set(names) | {re.sub(r"-file$", "", name) for name in names}
    for base in ("database", "payment-secret"):  # given as -file in the example
        lines = [line for line in lines if not line.startswith(f"{base} = ")]
    every = write(tmp_path / "every.toml", "\n".join(lines) + "\n")
    proc = run_cli("config", "check", str(every))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().strip() == f"{every}: ok"
    assert run_cli("config", "check", str(PACKAGED_CONFIG)).returncode == 0
    # A new serve flag needs its line in the packaged file.
    help_text = run_cli("serve", "--help").stdout.decode()
    flags = set(re.findall(r"^\s+--([a-z-]+)", help_text, re.M)) - {"help", "config"}
    missing = sorted(flag for flag in flags if flag not in keys)
    assert not missing, f"packaging/shipline.toml lacks {missing}"


def test_the_readme_names_every_serve_flag():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    help_text = run_cli("serve", "--help").stdout.decode()
    flags = set(re.findall(r"^\s+--([a-z-]+)", help_text, re.M)) - {"help"}
    missing = sorted(flag for flag in flags if f"`--{flag}`" not in readme
                     and f"`--{flag} " not in readme)
    assert not missing, f"README.md's flag table lacks {missing}"
