"""The feed check through the command line: ``epilint check _site/feed.xml`` and
``--feed FILE`` judge a built feed's items, reported at the posts they came from."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli, write_files

TEMPLATE = """\
---
---
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>T</title>
{% for post in site.posts %}<item>
<title>{{ post.title }}</title>
<link>{{ post.url | absolute_url }}</link>
<guid>{{ post.url | absolute_url }}</guid>
<enclosure url="{{ post.audio }}" length="{{ post.size }}" type="audio/mpeg"/>
</item>
{% endfor %}</channel></rss>
"""


def _item(title: str, link: str, audio: str, length: str) -> str:
    return (
        f"<item>\n<title>{title}</title>\n<link>{link}</link>\n<guid>{link}</guid>\n"
        f'<enclosure url="{audio}" length="{length}" type="audio/mpeg"/>\n</item>\n'
    )


#: As a build made it before `size` was corrected in the second post; a third item no
#: post makes (a hand-written one in the template, say).
BUILT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>T</title>\n'
    + _item("Two", "https://example.org/2024/01/02/two.html", "https://example.org/2.mp3", "unknown")
    + _item("One", "https://example.org/2024/01/01/one.html", "https://example.org/1.mp3", "1234")
    + _item("Stranger", "https://elsewhere.example/x", "https://example.org/x.mp3", "n/a")
    + "</channel></rss>\n"
)


def _post(title: str, audio: str, size: str) -> str:
    return f"---\ntitle: {title}\naudio: https://example.org/{audio}.mp3\nsize: {size}\n---\n"


def _site(root: Path, built: str = BUILT) -> Path:
    write_files(
        root,
        {
            "_config.yml": "url: https://example.org\n",
            "feed.xml": TEMPLATE,
            "_posts/2024-01-01-one.md": _post("One", "1", "1234"),
            "_posts/2024-01-02-two.md": _post("Two", "2", "99"),
            "_site/feed.xml": built,
        },
    )
    return root


def _check(root: Path, *args: str) -> tuple[int, list[tuple[object, ...]]]:
    result = run_cli("check", "--no-cache", "--format", "json", "--select", "FD0", *args, cwd=root)
    assert result.code in (0, 1), result.err
    return result.code, [(f["code"], f["path"], f["line"], f["column"]) for f in result.json()]


def test_the_built_items_are_judged_at_the_posts_they_came_from(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    assert _check(root) == (0, [])  # the prediction: every size is a byte count
    code, found = _check(root, "_site/feed.xml")
    assert code == 1
    assert found == [
        ("FD002", "_posts/2024-01-02-two.md", 4, 7),  # the `size:` value the item was made from
        ("FD002", "_site/feed.xml", 19, 1),  # no post made it: the feed file's own line
    ]
    assert _check(root, "--feed", "_site/feed.xml") == (code, found)
    result = run_cli(
        "check", "--no-cache", "--format", "json", "--select", "FD002", "_site/feed.xml", cwd=root
    )
    assert str(result.json()[0]["message"]).startswith('the built feed says <enclosure length="unknown">')


def test_a_feed_check_lints_the_posts_with_the_feed_rules_only(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    result = run_cli("check", "--no-cache", "--format", "json", "_site/feed.xml", cwd=root)
    assert result.code == 1, result.err
    assert {str(f["code"])[:2] for f in result.json()} == {"FD"}


def test_a_feed_that_is_not_well_formed_is_fd001_at_the_parsers_line(tmp_path: Path) -> None:
    broken = BUILT.replace("<title>Two</title>", "<title>Tom & Jerry</title>")
    root = _site(tmp_path / "site", broken)
    code, found = _check(root, "_site/feed.xml")
    assert code == 1
    assert ("FD001", "_site/feed.xml", 4, 1) in found


def test_entities_are_never_expanded(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + ']>\n<rss version="2.0"><channel><title>&i;</title></channel></rss>\n'
    )
    root = _site(tmp_path / "site", laughs)
    result = run_cli("check", "--no-cache", "--format", "json", "--select", "FD0", "_site/feed.xml", cwd=root)
    assert result.code == 1, result.err
    ((found,),) = [result.json()]
    assert (found["code"], found["path"], found["line"]) == ("FD001", "_site/feed.xml", 2)
    assert "declares the XML entity 'a'" in str(found["message"])


def test_a_feed_outside_every_site_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text(BUILT, encoding="utf-8")
    result = run_cli("check", "--no-cache", "--feed", "feed.xml", cwd=tmp_path)
    assert result.code == 2
    assert "_config.yml" in result.err


def test_a_site_whose_feed_is_not_predicted_is_judged_on_its_built_items(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    (root / "feed.xml").unlink()  # no template the model renders: nothing predicted
    code, found = _check(root, "_site/feed.xml")
    assert code == 1
    assert found == [
        ("FD002", "_posts/2024-01-02-two.md", 1, 1),  # the post it came from, no key known
        ("FD002", "_site/feed.xml", 19, 1),
    ]
    result = run_cli(
        "check", "--no-cache", "--format", "json", "--select", "FD002", "_site/feed.xml", cwd=root
    )
    assert "(_site/feed.xml line 7)" in str(result.json()[0]["message"])
