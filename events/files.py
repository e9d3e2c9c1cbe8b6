"""The one owner of writing a file a command produces: never onto the store or an input, always atomically.

Every command that writes a file (checkpoints, reports, pages, diagrams, key pairs) calls
`write` (or `check` first, when the file is written later): the target is refused with one
line when it is the store (or its -wal/-shm/-journal), a file the command reads, a folder, or
in a folder that does not exist; the data goes to a temporary file beside the target, which
then replaces it, so that a failure never leaves half a file or destroys the old one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from events.errors import BadInput

SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


class OutputError(BadInput):
    """A file a command was asked to write that it must not or cannot write."""


def _same(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except (OSError, RuntimeError):
        return False


def store_files(store) -> list[Path]:
    """The files of a SQLite store (a `Store`, a URL or None for the default); none for PostgreSQL."""
    if store is None or isinstance(store, str):
        from events.store import resolve

        try:
            store = resolve(store)
        except BadInput:
            return []
    if store.kind != "sqlite":
        return []
    return [Path(store.location + suffix) for suffix in SQLITE_SIDE_FILES]


def check(path: str | os.PathLike, *, store=False, reads=()) -> Path:
    """Refuse (one line, exit 2) a target that is the store, one of `reads`, a folder, or in a missing folder.
    `store`: a `Store` or URL to protect (None means the default store; False: no store)."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; name a file", f"{target}：是文件夹，请给出文件名")
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"{target}: the folder {parent} does not exist", f"{target}：文件夹 {parent} 不存在")
    protected = store_files(store) if store is not False else []
    for kept in protected:
        if _same(target, kept):
            raise OutputError(f"{target}: is the store ({kept.name}); refusing to write over it",
                              f"{target}：是存储文件（{kept.name}），拒绝覆盖")
    for read in reads:
        if read is not None and _same(target, Path(read)):
            raise OutputError(f"{target}: is a file this command reads; refusing to write over it",
                              f"{target}：是本命令读取的文件，拒绝覆盖")
    return target


def write(path: str | os.PathLike, data: bytes | str | Iterable[bytes], *, store=False, reads=(),
          mode: int | None = None, replace: bool = True) -> Path:
    """Write `data` (or its chunks, as they come) to `path` after `check`: a temporary file beside it
    (created with `mode`, O_EXCL, O_NOFOLLOW), fsynced, then os.replace (or, with replace=False, os.link,
    which refuses an existing name). Never follows a symlink at `path`."""
    target = check(path, store=store, reads=reads)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = None, None
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{os.urandom(6).hex()}.tmp")
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, mode)
            break
        except FileExistsError:
            continue
        except OSError as error:
            raise OutputError(f"{target}: cannot be written ({error.strerror})",
                              f"{target}：无法写入（{error.strerror}）") from None
    if fd is None:
        raise OutputError(f"{target}: could not create a temporary file beside it", f"{target}：无法在旁边创建临时文件")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in [data] if isinstance(data, bytes) else data:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, target)
        else:
            os.link(tmp, target, follow_symlinks=False)
            os.unlink(tmp)
    except FileExistsError:
        raise OutputError(f"{target}: exists already; pass --force to replace it",
                          f"{target}：已存在；如需替换请加 --force") from None
    except OSError as error:
        raise OutputError(f"{target}: cannot be written ({error.strerror})",
                          f"{target}：无法写入（{error.strerror}）") from None
    finally:
        if tmp is not None and os.path.lexists(tmp):
            os.unlink(tmp)
    return target
