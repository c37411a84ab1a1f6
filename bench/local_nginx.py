"""A throwaway nginx on a loopback port, for the Python benchmarks' references.

    with LocalNginx(folder, "location / { return 200 'ok'; }") as nginx:
        ... http://127.0.0.1:{nginx.port}/ ...

Everything it writes stays in `folder`; it is stopped when the block ends
(or start() and stop() by hand).
Needs Debian's nginx (apt-get install nginx-light).
"""

import os
import signal
import socket
import subprocess
import time

CONF = """worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{port};
    {server}
  }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def available():
    return any(os.access(os.path.join(d, "nginx"), os.X_OK)
               for d in ("/usr/sbin", "/usr/bin"))


class LocalNginx:
    def __init__(self, folder, server_block):
        self.folder = str(folder)
        self.port = free_port()
        self.server_block = server_block

    def start(self):
        os.makedirs(self.folder, exist_ok=True)
        conf = os.path.join(self.folder, "nginx.conf")
        with open(conf, "w") as f:
            f.write(CONF.format(dir=self.folder, port=self.port, server=self.server_block))
        subprocess.run(["nginx", "-c", conf, "-p", self.folder], check=True)
        wait_port(self.port)
        return self

    def stop(self):
        pid_file = os.path.join(self.folder, "nginx.pid")
        if os.path.exists(pid_file):
            with open(pid_file) as f:
                os.kill(int(f.read()), signal.SIGTERM)
        time.sleep(0.2)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False
