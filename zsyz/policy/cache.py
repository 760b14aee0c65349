"""The stored policy's parsed form, kept between commands so reads skip pydantic.

Every read command needs the ledger's policy as domain values. Validating its TOML through
the pydantic model costs more than the rest of a county ranking's arithmetic (building the
model classes alone is most of it), yet the text rarely changes. The first command to read
a policy text validates it as before and keeps the domain form, pickled, in the user's
cache folder (`$ZSYZ_CACHE_DIR`, else `$XDG_CACHE_HOME/zsyz`, else `~/.cache/zsyz`) under
a hash of the text and of the code that builds it (name, size and mtime of every module
of `zsyz.domain` and `zsyz.policy`), so an upgrade or an edited policy is validated anew.
A cache file is trusted only when it belongs to this user and nobody else may write it
(as Python trusts its own `__pycache__`); anything unreadable is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from zsyz.domain.policy import Policy


def cache_dir() -> Path:
    if explicit := os.environ.get("ZSYZ_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zsyz"


def _code_stamp() -> bytes:
    root = Path(__file__).resolve().parent.parent
    parts = []
    for folder in ("domain", "policy"):
        for entry in sorted(os.scandir(root / folder), key=lambda e: e.name):
            if entry.name.endswith(".py"):
                st = entry.stat()
                parts.append(f"{folder}/{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts).encode()


def _key(text: str) -> str:
    return hashlib.sha256(_code_stamp() + b"\0" + text.encode("utf-8")).hexdigest()


def _trusted(path: Path) -> bool:
    uid = os.getuid() if hasattr(os, "getuid") else None
    for p in (path.parent, path):
        st = p.stat()
        if (uid is not None and st.st_uid != uid) or st.st_mode & 0o022:
            return False
    return True


def _load(path: Path) -> Policy | None:
    try:
        if not _trusted(path):
            return None
        policy = pickle.loads(path.read_bytes())
    except Exception:  # missing, truncated or from other code: validate anew
        return None
    return policy if isinstance(policy, Policy) else None


def _store(path: Path, policy: Policy) -> None:
    tmp = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".policy.", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            pickle.dump(policy, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # a read-only home: the command still works, only slower
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def stored_policy(text: str, origin: str) -> Policy:
    """The domain policy for a ledger's stored text: from the cache, else validated."""
    path = cache_dir() / f"policy-{_key(text)}.pickle"
    policy = _load(path)
    if policy is None:
        from zsyz.policy.load import parse_policy

        policy = parse_policy(text, origin)
        _store(path, policy)
    return policy
