"""A drop folder several import runs may read at once (cron every few minutes).

Before a run imports a file it claims it: an atomic rename into its own working folder
`.zsyz-claimed/<pid>/` beside the file (same filesystem, so the rename is one step). A
file another run renamed first is gone: this run skips it. After the import the claimed
file is moved to the archive; if that fails (read-only folder, a file in the way) it goes
back where it was and the caller says so. Claims of a run that died are put back by the
next run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

CLAIMS = ".zsyz-claimed"


def claim(path: Path) -> Path | None:
    """The file, renamed into this run's working folder; None when another run took it.
    A folder where nothing can be renamed (read-only) gives the file itself back."""
    folder = path.parent / CLAIMS / str(os.getpid())
    for _attempt in range(5):  # another run may remove the empty claims folder meanwhile
        try:
            folder.mkdir(parents=True, exist_ok=True)
            break
        except FileNotFoundError:
            continue
        except OSError:
            return path if path.exists() else None
    else:
        return path if path.exists() else None
    target = folder / path.name
    try:
        os.rename(path, target)
    except FileNotFoundError:
        _tidy(folder)
        return None
    except OSError:
        _tidy(folder)
        return path
    return target


def release(claimed: Path, original: Path) -> None:
    """Put a claimed file back where it was (import failed to finish, or kept in place)."""
    if claimed == original:
        return
    with contextlib.suppress(OSError):
        os.rename(claimed, original)
    _tidy(claimed.parent)


def archive(claimed: Path, original: Path, folder: Path) -> Path:
    """Move a claimed file into `folder` under its own name (a timestamp added when the
    name is taken). OSError when it cannot: the file is then back at `original`."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not folder.is_dir():
            raise NotADirectoryError(20, "不是目录", str(folder))
        target = folder / original.name
        if target.exists() or target.is_symlink():
            stamp = time.strftime("%Y%m%d%H%M%S")
            target = folder / f"{original.stem}.{stamp}.{os.getpid()}{original.suffix}"
        shutil.move(str(claimed), target)
    except OSError:
        release(claimed, original)
        raise
    _tidy(claimed.parent)
    return target


def recover(folders: set[Path]) -> list[str]:
    """Files left claimed by runs that are no longer alive, put back; what was done."""
    done: list[str] = []
    for folder in folders:
        base = folder / CLAIMS
        try:
            runs = list(base.iterdir())
        except OSError:
            continue
        for run in runs:
            if not run.name.isdigit() or _alive(int(run.name)):
                continue
            for left in run.iterdir():
                back = folder / left.name
                if not back.exists():
                    with contextlib.suppress(OSError):
                        os.rename(left, back)
                        done.append(f"已把中断的导入留下的 {left.name} 放回 {folder}")
            _tidy(run)
    return done


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, another user's
        return True
    return True


def _tidy(folder: Path) -> None:
    """Remove this run's working folder and the claims folder once empty."""
    for f in (folder, folder.parent):
        with contextlib.suppress(OSError):
            f.rmdir()
