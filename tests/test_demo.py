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


def test_demo_runs_from_any_folder_without_the_repository(cli, tmp_path, monkeypatch):
    """After a plain `pip install` there is no samples/: the package builds them."""
    import zsyz.cli.demo as demo

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(
        demo, "__file__", str(tmp_path / "site-packages" / "zsyz" / "cli" / "demo.py")
    )
    result = cli("demo")
    assert result.code == 0, result.err
    assert "石佛寺镇" in result.out and "雪枫街道" in result.out
    assert list(tmp_path.iterdir()) == []  # built in a temporary folder, removed after


def test_the_package_builds_the_repositorys_samples(tmp_path):
    from tests.conftest import SAMPLES
    from zsyz.io.sample_roster import build

    built = build(tmp_path / "s")
    names = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    ours = sorted(
        p.relative_to(SAMPLES).as_posix()
        for p in SAMPLES.rglob("*")
        if p.is_file() and p.suffix != ".py"
    )
    assert names == ours
