"""A short run of the fault loop (tests/soak/fault_loop.py): completions
under load while shipline is killed with SIGKILL at random moments; nothing
acknowledged is lost, and every capture, email and webhook happens once.
`make soak` runs the long version.

On PostgreSQL (SHIPLINE_TEST_DATABASE_URL) it runs two nodes on one database
and kills either. It never stops the PostgreSQL server: that one is shared
with the rest of the suite (`make soak` stops a cluster of its own).
"""

import sys
from pathlib import Path

from conftest import TEST_DATABASE_URL, create_test_database, drop_test_database

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "soak"))

import fault_loop  # noqa: E402

KILLS = 3
ORDERS_PER_ROUND = 6


def test_nothing_lost_or_doubled_across_kill9(tmp_path):
    nodes = 2 if TEST_DATABASE_URL else 1
    database = create_test_database() if TEST_DATABASE_URL else None
    try:
        counts = fault_loop.run(tmp_path, kills=KILLS, orders=ORDERS_PER_ROUND, nodes=nodes,
                                database=database, log=lambda line: None)
    finally:
        if database:
            drop_test_database(database)
    assert counts["completed"] == KILLS * ORDERS_PER_ROUND
    assert fault_loop.failures(counts) == [], counts
