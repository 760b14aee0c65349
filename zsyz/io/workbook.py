"""Opening spreadsheets safely with python-calamine.

The format is recognised by the file's first bytes, never by its name (WPS .et files
are old-style .xls inside; a CSV renamed .xlsx is refused). Hostile files are refused
before any parsing: size caps, and for zip containers the uncompressed size and the
compression ratio read from the central directory, which costs no inflation.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zsyz.errors import BadInputError

SAVE_AS = "请用 Excel/WPS 另存为 .xlsx 后重新导入"

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # uncompressed/compressed per zip entry; real sheets stay well below
MAX_ROWS = 200_000
MAX_COLS = 200

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Any]]  # calamine values: str, int, float, bool, date, datetime, "" empty


def sniff(path: Path) -> str:
    """Return 'xlsx', 'xlsb', 'ods' or 'xls' from the file's bytes; refuse anything else."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadInputError(f"无法读取文件 {path}：{exc.strerror}") from exc
    if size == 0:
        raise BadInputError(f"{path.name} 是空文件；{SAVE_AS}")
    if size > MAX_FILE_BYTES:
        raise BadInputError(
            f"{path.name} 有 {size // (1024 * 1024)} MB，超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 上限；"
            "请拆分后导入"
        )
    with open(path, "rb") as fh:
        head = fh.read(8)
        if head.startswith(OLE2_MAGIC):
            fh.seek(0)
            if _ENCRYPTED_MARK in fh.read(min(size, 1 << 20)):
                raise BadInputError(
                    f"{path.name} 设有打开密码（已加密）；请取消密码后另存为 .xlsx 再导入"
                )
            return "xls"
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(path)
    raise BadInputError(f"{path.name} 不是 Excel/WPS 表格文件（可能是 CSV、网页或文本）；{SAVE_AS}")


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(
                    info.compress_size, 1
                ):
                    raise BadInputError(
                        f"{path.name} 的压缩比异常（{info.filename}），疑似恶意文件，已拒绝"
                    )
            if total > MAX_UNCOMPRESSED_BYTES:
                raise BadInputError(
                    f"{path.name} 解压后超过 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB，已拒绝；请拆分后导入"
                )
            if "xl/workbook.bin" in names:
                return "xlsb"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names:
                mimetype = zf.read("mimetype")[:100]
                if b"opendocument.spreadsheet" in mimetype:
                    return "ods"
    except zipfile.BadZipFile as exc:
        raise BadInputError(f"{path.name} 已损坏或不完整（{exc}）；{SAVE_AS}") from exc
    raise BadInputError(f"{path.name} 是压缩包但不是表格文件；{SAVE_AS}")


def read_workbook(path: Path, *, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> list[Sheet]:
    """Every visible sheet's cells, refusing oversized sheets before loading them."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    sniff(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise BadInputError(f"{path.name} 无法解析（{exc}）；{SAVE_AS}") from exc
    sheets: list[Sheet] = []
    try:
        for meta in wb.sheets_metadata:
            if str(getattr(meta, "visible", "Visible")).lower().endswith("hidden"):
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            height, width = sheet.height, sheet.width
            if height > max_rows or width > max_cols:
                raise BadInputError(
                    f"{path.name} 的工作表「{meta.name}」有 {height} 行 × {width} 列，超过上限"
                    f"（{max_rows} 行 × {max_cols} 列）；请删除多余行列后导入"
                )
            rows = sheet.to_python(skip_empty_area=False)
            sheets.append(Sheet(meta.name, [list(r) for r in rows]))
    except BadInputError:
        raise
    except Exception as exc:
        raise BadInputError(f"{path.name} 读取失败（{exc}）；{SAVE_AS}") from exc
    return sheets


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def row_texts(row: Sequence[Any]) -> list[str]:
    return ["" if blank(v) else str(v).strip() for v in row]
