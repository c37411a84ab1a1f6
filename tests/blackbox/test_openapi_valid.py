"""The OpenAPI document the server serves passes a real validator
(@apidevtools/swagger-parser, pinned in tests/openapi/package-lock.json and
installed by `scripts/install-deps.sh --test`)."""

import json
import subprocess
from pathlib import Path

import pytest

CHECKER = Path(__file__).resolve().parents[1] / "openapi"


# The whole API, and the completion endpoint's own document (which must stand
# on its own: every schema it refers to travels with it).
@pytest.mark.parametrize("path", ["/openapi.json",
                                  "/integration/api/shipping/v1/shipments/api-docs"])
def test_served_document_is_valid_openapi(shipline, tmp_path, path):
    if not (CHECKER / "node_modules" / "@apidevtools" / "swagger-parser").is_dir():
        pytest.fail("the OpenAPI validator is not installed: run scripts/install-deps.sh --test")
    r = shipline.request("GET", path)
    assert r.status == 200
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(r.body))
    proc = subprocess.run(["node", str(CHECKER / "validate.js"), str(document)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode() + proc.stdout.decode()


def test_the_validator_refuses_a_broken_document(tmp_path):
    """The check can fail: an operation without responses is refused."""
    if not (CHECKER / "node_modules").is_dir():
        pytest.fail("the OpenAPI validator is not installed: run scripts/install-deps.sh --test")
    document = tmp_path / "broken.json"
    document.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "x", "version": "1"},
                                    "paths": {"/a": {"get": {"summary": "no responses"}}}}))
    proc = subprocess.run(["node", str(CHECKER / "validate.js"), str(document)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 1
