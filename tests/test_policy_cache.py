"""The stored policy's parsed form is cached: a read validates nothing the first command
already validated, and anything stale, foreign or broken is validated anew."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from zsyz.policy import cache
from zsyz.policy.load import parse_policy, preset_source


@pytest.fixture
def text(tmp_path, monkeypatch):
    monkeypatch.setenv("ZSYZ_CACHE_DIR", str(tmp_path / "cache"))
    return preset_source("zhenping-2020").text


def _files(tmp_path):
    return sorted((tmp_path / "cache").glob("policy-*.pickle"))


def test_second_read_comes_from_the_cache(text, tmp_path, monkeypatch):
    first = cache.stored_policy(text, "台账中的政策")
    assert first == parse_policy(text) and len(_files(tmp_path)) == 1
    monkeypatch.setattr("zsyz.policy.load.parse_policy", lambda *a: pytest.fail("validated again"))
    assert cache.stored_policy(text, "台账中的政策") == first


def test_another_text_or_other_code_is_validated_anew(text, tmp_path, monkeypatch):
    cache.stored_policy(text, "x")
    cache.stored_policy(text.replace("镇平", "镇平县", 1), "x")
    assert len(_files(tmp_path)) == 2
    monkeypatch.setattr(cache, "_code_stamp", lambda: b"other code")
    cache.stored_policy(text, "x")
    assert len(_files(tmp_path)) == 3


@pytest.mark.parametrize("spoil", ["garbage", "not a policy", "group-writable"])
def test_a_bad_cache_file_is_ignored(text, tmp_path, spoil):
    import pickle

    good = cache.stored_policy(text, "x")
    (path,) = _files(tmp_path)
    if spoil == "garbage":
        path.write_bytes(b"\x80\x05garbage")
    elif spoil == "not a policy":
        path.write_bytes(pickle.dumps({"a": 1}))
    else:
        os.chmod(path, 0o664)
    assert cache._load(path) is None
    assert cache.stored_policy(text, "x") == good


def test_an_unwritable_cache_still_answers(text, tmp_path, monkeypatch):
    monkeypatch.setenv("ZSYZ_CACHE_DIR", "/proc/no-such-place/zsyz")
    assert cache.stored_policy(text, "x") == parse_policy(text)


def test_a_read_command_skips_the_policy_model(db, cli, tmp_path):
    """After `init` stored (and validated) the policy, `progress` in a fresh process never
    builds the pydantic policy model."""
    assert cli("init", "--preset", "zhenping-2020").code == 0
    probe = (
        "import sys, atexit\n"
        "atexit.register(lambda: print('MODEL' if 'zsyz.policy.model' in sys.modules else 'NO'"
        ", file=sys.stderr))\n"
        "from zsyz.cli.entry import main\n"
        "sys.argv = ['zsyz', 'progress', '--year', '2020', '-f', 'json']\n"
        "main()\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=os.environ
    )
    assert run.returncode in (0, 3), run.stderr
    assert run.stderr.strip().endswith("NO"), run.stderr
