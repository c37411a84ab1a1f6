"""shipline backup and restore (issue 17): a consistent copy of the embedded
database and its mail folder while the server serves, put back into an empty
folder where a server starts on it and serves."""

import shutil
import subprocess
import threading

import pytest

from conftest import order_body, run_cli, wait_until

pytestmark = pytest.mark.sqlite_only("backup and restore are for the embedded database")

ORDERS = 150


def test_backup_under_completion_load_keeps_every_acknowledged_completion(make_shipline,
                                                                         tmp_path):
    source = make_shipline()
    for i in range(ORDERS):
        source.create_order(order_body(f"B{i:03d}"))
    acknowledged = []
    lock = threading.Lock()

    def complete(numbers):
        for number in numbers:
            r = source.complete(f"{number}-1", tracking="1Z999AA10123456784")
            assert r.status == 200, r.body
            with lock:
                acknowledged.append(number)

    numbers = [f"B{i:03d}" for i in range(ORDERS)]
    workers = [threading.Thread(target=complete, args=(numbers[k::3],)) for k in range(3)]
    for w in workers:
        w.start()
    # Back up once some completions were acknowledged, while the others go on.
    assert wait_until(lambda: len(acknowledged) >= ORDERS // 4, 60)
    with lock:
        before = list(acknowledged)
    backup = tmp_path / "shipline-backup.tar"
    proc = run_cli("backup", "--data", str(source.data_dir), "--to", str(backup), timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    for w in workers:
        w.join(timeout=120)
    assert len(acknowledged) == ORDERS
    # A second backup to the same file is refused, the first one kept.
    again = run_cli("backup", "--data", str(source.data_dir), "--to", str(backup))
    assert again.returncode == 2 and "exists" in again.stderr.decode()
    source.stop()

    restored_dir = tmp_path / "restored"
    proc = run_cli("restore", "--from", str(backup), "--data", str(restored_dir))
    assert proc.returncode == 0, proc.stderr.decode()
    # The master key is not in the backup (a stolen backup opens no secret):
    # the operator puts it back, as docs/DEPLOYMENT.md says.
    names = subprocess.run(["tar", "tf", str(backup)], capture_output=True, check=True).stdout
    assert b"master.key" not in names
    shutil.copy(source.data_dir / "master.key", restored_dir / "master.key")
    restored = make_shipline(data_dir=restored_dir)
    restored._key = source.key  # the keys came back with the database
    for number in before:
        shipment = restored.shipment(f"{number}-1")
        assert shipment["status"] == "SHIPPED", (number, shipment)
    # Every completion the copy holds has its email: carried in the bundle,
    # or sent again by the restored server's email handler.
    assert len(restored.wait_eml(len(before))) >= len(before)
    # The restored server serves and mails new completions.
    restored.create_order(order_body("AFTER1"))
    assert restored.complete("AFTER1-1", tracking="1Z999AA10123456784").status == 200
    assert wait_until(lambda: any("AFTER1" in p.read_text(errors="replace")
                                  for p in restored.eml_files()), 20)


def test_restore_refuses_a_folder_that_is_not_empty_and_a_file_that_is_not_a_backup(
        make_shipline, tmp_path):
    server = make_shipline()
    backup = tmp_path / "b.tar"
    assert run_cli("backup", "--data", str(server.data_dir), "--to", str(backup)).returncode == 0
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "something").write_text("x")
    proc = run_cli("restore", "--from", str(backup), "--data", str(busy))
    assert proc.returncode == 2 and "not empty" in proc.stderr.decode()
    assert sorted(p.name for p in busy.iterdir()) == ["something"]

    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a backup" * 100)
    target = tmp_path / "fresh"
    proc = run_cli("restore", "--from", str(junk), "--data", str(target))
    assert proc.returncode == 2 and "not a shipline backup" in proc.stderr.decode()
    assert not any(target.iterdir())

    proc = run_cli("backup", "--data", str(tmp_path / "nothing"), "--to", str(tmp_path / "x"))
    assert proc.returncode != 0 and "no database" in proc.stderr.decode()
    assert not (tmp_path / "x").exists()
