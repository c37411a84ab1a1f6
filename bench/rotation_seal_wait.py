"""Seals while `shipline secrets rotate` re-seals N secrets on PostgreSQL.

One node serves with the old key; N server secrets are inserted in clear and
sealed by a restart holding both keys; then a client stores order creates
under Idempotency-Keys (each answer is sealed) one after another while the
rotation runs, and the script prints how long the rotation took, how many
seals ran meanwhile, how many failed and the longest one.

  SHIPLINE_BIN=build/shipline SHIPLINE_TEST_DATABASE_URL=postgres://... \
      /usr/bin/python3 bench/rotation_seal_wait.py 100000

It uses the black-box test harness (tests/blackbox/conftest.py) and a fresh
schema of that database, dropped at the end."""
import base64
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests/blackbox"))
import conftest
from conftest import Shipline, create_test_database, drop_test_database, run_cli, wait_until, _psql

N = int(sys.argv[1])
tmp = Path(tempfile.mkdtemp())


def key(name):
    p = tmp / name
    p.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    p.chmod(0o600)
    return p



old, new = key("old"), key("new")
db = create_test_database()
try:
    s = Shipline(tmp / "data", extra_args=["--allow-private-targets"], database=db)
    s.env["SHIPLINE_MASTER_KEY_FILE"] = str(old)
    s.start()
    _psql(db, f"INSERT INTO server_secrets SELECT 'm' || g, 'value' || g, 0 FROM generate_series(1, {N}) g")
    s.stop()
    s.env["SHIPLINE_MASTER_KEY_FILE"] = str(new)
    s.env["SHIPLINE_PREVIOUS_MASTER_KEY_FILE"] = str(old)
    s.start()  # seals the clear values with the old key (the database's)
    stop = False
    lat = []
    fails = []

    def load():
        i = 0
        while not stop:
            i += 1
            t = time.monotonic()
            r = s.request("POST", "/api/v1/orders", body=conftest.order_body(f"{700000 + i}"),
                          headers={"Idempotency-Key": f"k{i}"})
            lat.append(time.monotonic() - t)
            if r.status != 201:
                fails.append((r.status, r.body))

    th = threading.Thread(target=load)
    th.start()
    assert wait_until(lambda: len(lat) >= 20, timeout=30)  # the load runs before the rotation
    t = time.monotonic()
    r = run_cli("secrets", "rotate", "--data", str(s.data_dir), "--database", db, "--master-key-file", str(old),
                "--new-key-file", str(new), env=s.process_env(), timeout=600)
    took = time.monotonic() - t
    during = len(lat)
    assert wait_until(lambda: len(lat) >= during + 20, timeout=30)  # and after it
    stop = True
    th.join()
    print(f"N={N} rotate exit={r.returncode} took={took:.1f}s seals={len(lat)} failed={len(fails)} {fails[:1]} "
          f"max_seal_wait={max(lat):.3f}s  {r.stdout.decode().strip()} {r.stderr.decode().strip()[-300:]}")
    s.stop()
finally:
    drop_test_database(db)
