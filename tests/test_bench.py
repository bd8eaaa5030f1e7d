"""The benchmark corpus generator: deterministic and shaped like a yattecast site (no timing here)."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from tests.conftest import bench_module

BENCH = Path(__file__).resolve().parent.parent / "bench"
LINK = re.compile(r"\]\((?:https?://)[^)\s]+\)")
KEYS = {
    "actor_ids",
    "audio_file_path",
    "audio_file_size",
    "date",
    "description",
    "duration",
    "layout",
    "title",
}


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return bench_module("gen_corpus")


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _front_matter(path: Path) -> tuple[dict[str, object], str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data, body


def test_same_seed_same_bytes_other_seed_other_bytes(gen: ModuleType, tmp_path: Path) -> None:
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        assert gen.main(["--count", "25", "--out", str(tmp_path / name), "--seed", str(seed)]) == 0
    a, b, c = (_tree(tmp_path / n) for n in "abc")
    assert a == b
    assert a.keys() == c.keys()
    assert a != c


def test_refuses_to_write_over_existing_posts(gen: ModuleType, tmp_path: Path) -> None:
    assert gen.main(["--count", "2", "--out", str(tmp_path)]) == 0
    assert gen.main(["--count", "2", "--out", str(tmp_path)]) == 2


def test_site_shape(gen: ModuleType, tmp_path: Path) -> None:
    posts = gen.generate(gen.Options(200, tmp_path))
    config = yaml.safe_load((tmp_path / "_config.yml").read_text(encoding="utf-8"))
    assert config["timezone"] == "Asia/Tokyo"
    assert isinstance(config["actors"], dict)
    assert len(config["actors"]) >= 3
    assert (tmp_path / "_layouts" / "article.html").is_file()

    assert sorted(p.name for p in (tmp_path / "_posts").iterdir()) == sorted(p.name for p in posts)
    assert len(posts) == 200
    sizes = [p.stat().st_size for p in posts]
    assert 4500 <= sum(sizes) / len(sizes) <= 5500
    assert all(4000 <= s <= 7000 for s in sizes)

    defective = 0
    for number, path in enumerate(posts, start=1):
        assert re.fullmatch(rf"\d{{4}}-\d{{2}}-\d{{2}}-{number}\.md", path.name)
        data, body = _front_matter(path)
        assert str(data["title"]).startswith(f"{number}. ")
        assert data.get("layout", "article") == "article"
        assert 5 <= len(LINK.findall(body)) <= 40
        assert re.search(r"[\u3040-\u30ff]", body)  # Japanese show notes
        clean = (
            set(data) == KEYS
            and isinstance(data["duration"], str)
            and isinstance(data["audio_file_size"], int)
            and str(data["date"]).endswith(" +0900")  # PyYAML leaves +0900 a string
        )
        if clean:
            assert all(a in config["actors"] for a in data["actor_ids"])
            assert str(data["date"]).startswith(path.name[:10])
        defective += not clean
    assert 5 <= defective <= 40  # about 10% of 200


def test_site_has_each_link_kind_and_defect(gen: ModuleType, tmp_path: Path) -> None:
    gen.generate(gen.Options(200, tmp_path))
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "_posts").iterdir()))
    assert re.search(r"\(https://twitter\.com/\w+/status/\d+\?s=\d+&t=\w+\)", text)
    assert "(https://bit.ly/" in text
    assert re.search(r"^(We talked about|Notes on migrating from) \S", text, re.M)  # English prose
    assert "(http://" in text
    assert re.search(r"\(https://ja\.wikipedia\.org/wiki/[^\x00-\x7f]+\)", text)
    assert re.search(r"^duration: \d+:\d\d$", text, re.M)  # unquoted: base 60 to YAML 1.1
    assert re.search(r"^audio_file_size: $", text, re.M)
    assert re.search(r"^date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", text, re.M)
    assert re.search(r"^(descripton|audio_file_szie|layuot):", text, re.M)


def test_lsp_latency_counts_one_parse_per_change(tmp_path: Path) -> None:
    """The editor's work per change: the buffer parsed, no file read, every other post's
    summary reused (the counts ``bench/lsp_latency.py`` reports; no timing)."""
    latency = bench_module("lsp_latency")
    site = latency.corpus(30, tmp_path)
    post = sorted((site / "_posts").glob("*.md"))[15]
    work = latency.work_per_change(site, post, 4)
    assert work == {"parsed": 1, "read": 0, "kept": 29, "cached": 0, "summaries_parsed": 0}


def test_the_work_of_every_scaling_case_grows_linearly() -> None:
    """bench/scaling.py counts the lines run (not time) at n, 2n and 4n: quadratic work
    (LN007's every-copy comparison, the fix engine's overlap checks) would quadruple."""
    scaling = bench_module("scaling")
    for name, (counts, factor) in scaling.measure(100).items():
        assert factor <= scaling.LIMIT, f"{name}: {counts}"
