"""A hostile and malformed corpus, built here: every file refused (65), ledger unchanged.

Runs the real CLI in subprocesses so a crash in native code (calamine) or a memory blow-up
shows as what cron would see; peak memory is the child's own (os.wait4).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, write_xlsx
from tests.ledger_state import dump

HEAD = [
    "项目编号",
    "项目名称",
    "投资方",
    "总投资（万元）",
    "固定资产投资",
    "到位资金",
    "项目阶段",
    "签约日期",
    "落地单位",
]
ROW = [None, "玉雕产业园", "玉都实业", 26000, 18000, 3000, "已签约", "2022-03-08", None]
MEMORY_BOUND_MB = 400


def report(path: Path, rows, day: str = "2022-03-11") -> Path:
    lines = [["项目周报"], ["填报单位：石佛寺镇", None, None, f"填报日期：{day}"], HEAD, *rows]
    return write_xlsx(path, lines)


def _entry(out: io.BytesIO, central: list[bytes], name: str, raw: bytes, crc: int, size: int):
    """One deflated zip entry, written by hand so its sizes may lie."""
    offset, encoded = out.tell(), name.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(raw), size, len(encoded), 0
    )
    out.write(local + encoded + raw)
    central.append(
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            *(0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(raw), size, len(encoded)),
            *(0, 0, 0, 0, 0, offset),
        )
        + encoded
    )


def zip_bomb(path: Path, template: Path, *, inflated: int, lie: bool) -> Path:
    """A workbook whose sheet XML inflates to `inflated` bytes of rows from ~0.25% of that;
    with `lie` the headers claim 9 kB, so only reading it would tell."""
    out, central = io.BytesIO(), []
    with zipfile.ZipFile(template) as zin:
        for info in zin.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                continue
            data = zin.read(info.filename)
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw = comp.compress(data) + comp.flush()
            _entry(out, central, info.filename, raw, zlib.crc32(data), len(data))
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    chunk = b"<row><c><v>1</v></c></row>" * 40_000
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    # A full flush makes each block stand alone, so one compressed block can repeat.
    first = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    times = inflated // len(chunk)
    raw = first + block * times + comp.compress(b"</sheetData></worksheet>") + comp.flush()
    _entry(out, central, "xl/worksheets/sheet1.xml", raw, 0, 9000 if lie else times * len(chunk))
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), start, 0
        )
    )
    path.write_bytes(out.getvalue())
    return path


def with_sheet_xml(path: Path, template: Path, change) -> Path:
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            z.writestr(info.filename, data)
    return path


def corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    rng = random.Random(65)
    template = report(folder.parent / "template.xlsx", [ROW])
    files: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        files[name] = folder / name
        files[name].write_bytes(data)

    good = template.read_bytes()
    put("截断.xlsx", good[: len(good) // 2])
    files["炸弹.xlsx"] = zip_bomb(folder / "炸弹.xlsx", template, inflated=4_000_000_000, lie=False)
    files["说谎的炸弹.xlsx"] = zip_bomb(
        folder / "说谎的炸弹.xlsx", template, inflated=4_000_000_000, lie=True
    )
    files["远角单元格.xlsx"] = with_sheet_xml(
        folder / "远角单元格.xlsx",
        template,
        lambda d: d.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        ),
    )

    files["稀疏远行.xlsx"] = with_sheet_xml(  # inside the caps, but a near-empty rectangle
        folder / "稀疏远行.xlsx",
        template,
        lambda d: d.replace(
            b"</sheetData>", b'<row r="199999"><c r="GR199999"><v>1</v></c></row></sheetData>'
        ),
    )

    def many_rows(d: bytes) -> bytes:
        rows = b"".join(
            b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i * 7919 % 100_003)
            for i in range(10, 250_010)
        )
        return d.replace(b"</sheetData>", rows + b"</sheetData>")

    files["超大工作表.xlsx"] = with_sheet_xml(folder / "超大工作表.xlsx", template, many_rows)
    files["超宽.xlsx"] = report(folder / "超宽.xlsx", [ROW + [1] * 300])
    put("改名的CSV.xlsx", "项目名称,总投资\n甲,1\n".encode())
    put("网页.xls", "<html><body><table><tr><td>项目名称</td></tr></table></body></html>".encode())
    put("随机字节.xlsx", rng.randbytes(20_000))
    put("随机字节PK.xlsx", b"PK\x03\x04" + rng.randbytes(20_000))
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    put("加密.xlsx", ole2 + "EncryptionInfo".encode("utf-16-le") + rng.randbytes(4000))
    put("空.xlsx", b"")
    wrong = ["#?", "", 12345, "很多", "abc", "x万", "飞升", "下周", "不存在镇"]
    files["类型全错.xlsx"] = report(folder / "类型全错.xlsx", [wrong, [*ROW[:3], "三千", *ROW[4:]]])
    formula = [*ROW[:3], "=1+1", *ROW[4:]]  # openpyxl saves formulas without a value
    files["公式无值.xlsx"] = report(folder / "公式无值.xlsx", [formula])
    return files


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return corpus(tmp_path_factory.mktemp("hostile") / "收件箱")


@pytest.fixture
def ledger(ledger_db, cli, tmp_path):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    first = report(tmp_path / "first.xlsx", [ROW], day="2022-03-10")
    assert cli("import", str(first)).code == 0
    return ledger_db


# The child reports its own peak (VmHWM belongs to the address space made by exec):
# `ru_maxrss` from wait4 would start from the parent's RSS at fork, so a pytest worker
# grown by earlier tests would inflate every figure.
_PEAK_CHILD = """
import atexit, os, runpy, sys
def _peak():
    with open("/proc/self/status") as fh:
        kb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    with open(os.environ["ZSYZ_TEST_PEAK_FILE"], "w") as out:
        out.write(str(kb))
atexit.register(_peak)
sys.argv = ["zsyz", *sys.argv[1:]]
runpy.run_module("zsyz", run_name="__main__")
"""


def run_measured(args: list[str], db: str, folder: Path) -> tuple[int, str, float]:
    """Run `zsyz ARGS` in a child process: (exit code, stderr, the child's peak RSS in MB)."""
    err_path = folder / "stderr.txt"
    peak_path = folder / "peak.txt"
    peak_path.unlink(missing_ok=True)
    with open(err_path, "wb") as err:
        proc = subprocess.run(
            [sys.executable, "-c", _PEAK_CHILD, *args],
            env={**os.environ, "ZSYZ_DB": db, "ZSYZ_TEST_PEAK_FILE": str(peak_path)},
            stdout=subprocess.DEVNULL,
            stderr=err,
            check=False,
        )
    assert peak_path.exists(), f"the child did not report its peak: {err_path.read_text()}"
    peak_kb = int(peak_path.read_text())
    return proc.returncode, err_path.read_text(encoding="utf-8"), peak_kb / 1024


@pytest.mark.slow
def test_every_hostile_file_is_refused_and_the_ledger_is_unchanged(ledger, hostile):
    files = hostile
    before = dump(ledger)
    result = subprocess.run(
        [sys.executable, "-m", "zsyz", "import", *map(str, files.values()), "--format", "json"],
        env={**os.environ, "ZSYZ_DB": ledger},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 65, result.stderr
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr
    outcomes = {Path(o["file"]).name: o for o in json.loads(result.stdout)}
    assert set(outcomes) == set(files)
    for name, outcome in outcomes.items():
        assert outcome["status"] == "rejected", (name, outcome)
        assert outcome["errors"], name
        first = outcome["errors"][0]["message"]
        assert first and "\n" not in first and "Traceback" not in first, (name, first)
    assert "另存为 .xlsx" in outcomes["改名的CSV.xlsx"]["errors"][0]["message"]
    assert "加密" in outcomes["加密.xlsx"]["errors"][0]["message"]
    assert "超过上限" in outcomes["远角单元格.xlsx"]["errors"][0]["message"]
    assert "超过上限" in outcomes["超大工作表.xlsx"]["errors"][0]["message"]
    assert "几乎是空的" in outcomes["稀疏远行.xlsx"]["errors"][0]["message"]
    assert "应为金额" in json.dumps(outcomes["类型全错.xlsx"], ensure_ascii=False)
    assert "公式" in json.dumps(outcomes["公式无值.xlsx"], ensure_ascii=False)
    assert dump(ledger) == before


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["炸弹.xlsx", "说谎的炸弹.xlsx", "远角单元格.xlsx", "稀疏远行.xlsx"]
)
def test_bombs_fail_fast_in_bounded_memory(ledger, hostile, tmp_path, name):
    files = hostile
    before = dump(ledger)
    started = time.monotonic()
    code, err, peak_mb = run_measured(["import", str(files[name])], ledger, tmp_path)
    took = time.monotonic() - started
    assert code == 65, err
    assert re.search(r"拒收|已拒绝|损坏|超过|异常", err) and "Traceback" not in err, err
    assert peak_mb < MEMORY_BOUND_MB, f"{name}: peak {peak_mb:.0f} MB"
    assert took < 120, f"{name}: {took:.0f} s"  # a hang guard, not a benchmark
    assert dump(ledger) == before


def test_a_folder_named_like_a_workbook_is_skipped_not_read(ledger, cli, tmp_path):
    inbox = tmp_path / "收件箱"
    (inbox / "子目录.xlsx").mkdir(parents=True)
    before = dump(ledger)
    result = cli("import", str(inbox))
    assert result.code == 0 and "没有新文件" in result.err  # an empty drop folder (issue 11)
    assert len(result.err.strip().splitlines()) == 1
    assert dump(ledger) == before
