"""`zsyz demo` must always run: it is the README's first command."""

from __future__ import annotations


def test_demo_runs(cli, tmp_path):
    kept = tmp_path / "demo.db"
    result = cli("demo", "--keep", str(kept))
    assert result.code == 0, result.err
    assert "石佛寺镇" in result.out
    assert kept.exists()
    listed = cli("units", "list", "--db", str(kept), "--format", "json").json()
    assert len(listed) >= 15
    checked = cli("db", "check", "--db", str(kept), "--format", "json")  # import's writes
    assert checked.code == 0, checked.out + checked.err  # are what db check expects
