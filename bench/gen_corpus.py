#!/usr/bin/env python3
"""Generate a deterministic yattecast site for benchmarks.

    python3 bench/gen_corpus.py --count 1000 --out /tmp/site [--seed 7]

Writes ``_config.yml`` (time zone Asia/Tokyo, an ``actors`` map),
``_layouts/article.html`` and COUNT posts ``_posts/YYYY-MM-DD-N.md`` of about
5 KB each, shaped like the yattecast posts of the shared corpus: YAML front
matter (actor_ids, audio_file_path, audio_file_size, date with +0900,
description, quoted duration, layout, ``N. …`` title) and Japanese/English
show notes with 5-40 Markdown links (raw-Unicode URLs, twitter share links with
``?s=12&t=…``, bit.ly, some ``http://``). About 10% of the posts carry one of the
mistakes real sites make: an unquoted ``45:30`` duration, an empty size, a date
without offset, a misspelt key.

Everything comes from one ``random.Random(seed)``: the same seed and count give
byte-identical files. Posts are dated one day apart from 1998-01-01, so 10,000
posts end in 2025 (no future dates). Audio files are not written: the site
hosts its audio elsewhere (there is no ``audio/`` folder).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import string
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SEED = 7
TARGET_BYTES = (4600, 5400)  # size of one post, front matter included
FIRST_DAY = dt.date(1998, 1, 1)
DEFECT_RATE = 0.10
DEFECTS = ("unquoted-duration", "empty-size", "no-offset", "misspelt-key")
MISSPELT = {"description": "descripton", "audio_file_size": "audio_file_szie", "layout": "layuot"}

ACTORS = {
    "hoshikawa": "星川",
    "hidetake": "hidetake",
    "ysdyt": "ysdyt",
    "ninopira": "にのぴら",
    "daigo": "Daigo",
    "fukuhara": "福原",
    "furu8ma": "furu8ma",
    "guest": "ゲスト",
}

JA_TOPICS = (
    "拡散モデル",
    "画像生成AI",
    "サウナ",
    "外気浴",
    "新居",
    "キーボード",
    "ふるさと納税",
    "機械学習",
    "データ基盤",
    "リモートワーク",
    "子育て",
    "自作PC",
    "ロードバイク",
    "確定申告",
    "技術書典",
    "カンファレンス",
    "プログラミング言語",
    "クラウド料金",
    "睡眠",
    "筋トレ",
)
EN_TOPICS = (
    "Stable Diffusion",
    "Rust",
    "Kubernetes",
    "TypeScript",
    "Jekyll",
    "PostgreSQL",
    "Vision Pro",
    "Raspberry Pi",
    "GitHub Actions",
    "LLM",
    "HHKB",
    "Pixel",
    "WWDC",
    "re:Invent",
    "SQLite",
    "Figma",
)
JA_SENTENCES = (
    "{t}について話しました。",
    "最近{t}にハマっています。",
    "{t}の話から{u}の話になりました。",
    "{t}を試してみたら思ったより良かった。",
    "{t}と{u}の比較をしてみました。",
    "結局{t}が一番という結論に。",
    "{t}、みなさんはどうしていますか？",
    "{t}の新しいバージョンが出たので触ってみた。",
    "ゲストに{t}について解説してもらいました！",
    "{t}で一週間過ごしてみた感想。",
)
EN_SENTENCES = (
    "We talked about {t} and why {u} still matters.",
    "A quick follow-up on {t} from last week.",
    "Is {t} worth it in {y}?",
    "Notes on migrating from {t} to {u}.",
    "Some listener questions about {t}.",
)
JA_LINK_TEXTS = (
    "{t}とは - Wikipedia",
    "{t}入門",
    "{t}を一週間使ってみた",
    "【{y}年版】{t}まとめ",
    "{t}のリリースノート",
    "{t} | 公式サイト",
    "{t}の話 - note",
)
EN_LINK_TEXTS = (
    "{t} - Wikipedia",
    "GitHub - {user}/{repo}",
    "{t} release notes",
    "Introducing {t}",
    "{t}: the good parts",
    "{t} documentation",
)
DOMAINS = (
    "https://www.itmedia.co.jp/news/articles/{yymm}/{dd}/news{n3}.html",
    "https://zenn.dev/{user}/articles/{hex}",
    "https://qiita.com/{user}/items/{hex}",
    "https://note.com/{user}/n/n{hex}",
    "https://www.amazon.co.jp/dp/{asin}",
    "https://speakerdeck.com/{user}/{repo}",
    "https://arxiv.org/abs/{arxiv}",
    "https://www.youtube.com/watch?v={yt}",
    "https://developer.mozilla.org/en-US/docs/Web/{repo}",
    "https://news.ycombinator.com/item?id={n7}",
)
USERS = ("yamkaz", "minux302", "tokoroten", "fladdict", "hojonathanho", "octocat", "sindresorhus", "ikkou")
REPOS = ("diffusion", "stable-diffusion", "jekyll", "yattecast", "ripgrep", "fzf", "dotfiles", "blog")


@dataclass(frozen=True)
class Options:
    count: int
    out: Path
    seed: int = DEFAULT_SEED


def _token(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        t=rng.choice(JA_TOPICS + EN_TOPICS),
        u=rng.choice(JA_TOPICS + EN_TOPICS),
        y=rng.randint(2015, 2025),
        user=rng.choice(USERS),
        repo=rng.choice(REPOS),
    )


def _url(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.15:  # a tweet shared from the app, with its tracking parameters
        return (
            f"https://twitter.com/{rng.choice(USERS)}/status/{rng.randint(10**18, 2 * 10**18)}"
            f"?s={rng.choice((12, 19, 20, 21))}&t={_token(rng, 22)}"
        )
    if kind < 0.22:
        return f"https://bit.ly/{_token(rng, 7)}"
    if kind < 0.35:  # raw Unicode in the path, as people paste them
        return f"https://ja.wikipedia.org/wiki/{rng.choice(JA_TOPICS)}"
    if kind < 0.45:
        return f"https://github.com/{rng.choice(USERS)}/{rng.choice(REPOS)}"
    url = rng.choice(DOMAINS).format(
        yymm=f"{rng.randint(15, 25):02d}{rng.randint(1, 12):02d}",
        dd=f"{rng.randint(1, 28):02d}",
        n3=f"{rng.randint(0, 199):03d}",
        user=rng.choice(USERS),
        repo=rng.choice(REPOS),
        hex=_token(rng, 14, "0123456789abcdef"),
        asin="B0" + _token(rng, 8, string.ascii_uppercase + string.digits),
        arxiv=f"{rng.randint(15, 25)}{rng.randint(1, 12):02d}.{rng.randint(0, 99999):05d}",
        yt=_token(rng, 11, string.ascii_letters + string.digits + "-_"),
        n7=rng.randint(10**7, 4 * 10**7),
    )
    if rng.random() < 0.08:  # an old insecure link
        url = "http://" + url.removeprefix("https://")
    return url


def _link_line(rng: random.Random, depth: int) -> str:
    text = _fill(rng, rng.choice(JA_LINK_TEXTS if rng.random() < 0.6 else EN_LINK_TEXTS))
    return f"{'  ' * depth}- [{text}]({_url(rng)})"


def _prose(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return "".join(_fill(rng, rng.choice(JA_SENTENCES)) for _ in range(rng.randint(2, 5)))
    return " ".join(_fill(rng, rng.choice(EN_SENTENCES)) for _ in range(rng.randint(2, 4)))


def _duration(rng: random.Random) -> str:
    minutes = rng.randint(18, 140)
    seconds = rng.randint(0, 59)
    if minutes >= 60 and rng.random() < 0.7:
        return f"{minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}"


def front_matter(rng: random.Random, number: int, day: dt.date, defect: str | None) -> str:
    actors = rng.sample(sorted(ACTORS), rng.randint(1, 3))
    topics = rng.sample(JA_TOPICS + EN_TOPICS, 3)
    title = f"{number}. {topics[0]}と{topics[1]}"
    description = "/".join(f"{t}の話" for t in topics) + "をしました"
    hour = rng.choice((0, 0, 0, 7, 12, 20, 21))
    duration = _duration(rng)
    size = str(rng.randint(8_000_000, 120_000_000))
    date = f"{day.isoformat()} {hour:02d}:00:00 +0900"
    keys = {
        "actor_ids": "\n" + "".join(f"  - {a}\n" for a in actors).rstrip("\n"),
        "audio_file_path": f" /audio/{number:03d}.mp3",
        "audio_file_size": f" {size}",
        "date": f" {date}",
        "description": f" {description}",
        "duration": f' "{duration}"',
        "layout": " article",
        "title": f" {title}",
    }
    if defect == "unquoted-duration":
        keys["duration"] = f" {rng.randint(20, 59)}:{rng.randint(0, 59):02d}"
    elif defect == "empty-size":
        keys["audio_file_size"] = " "  # as the seed episode has it: `audio_file_size: `
    elif defect == "no-offset":
        keys["date"] = f" {day.isoformat()} {hour:02d}:00:00"
    elif defect == "misspelt-key":
        wrong = rng.choice(sorted(MISSPELT))
        keys = {(MISSPELT[k] if k == wrong else k): v for k, v in keys.items()}
    lines = "".join(f"{key}:{value}\n" for key, value in keys.items())
    return f"---\n{lines}---\n"


def body(rng: random.Random, budget: int) -> str:
    links = rng.randint(5, 40)
    parts = [
        "[お便り](https://forms.gle/" + _token(rng, 17) + ")お待ちしています。  ",
        _prose(rng),
        "",
        "## 関連リンク",
    ]
    links -= 1
    depth = 0
    for _ in range(links):
        if rng.random() < 0.25:
            parts.append(f"{'  ' * depth}- {_fill(rng, rng.choice(JA_SENTENCES))}")
            depth = min(depth + 1, 2)
        elif rng.random() < 0.3:
            depth = max(depth - 1, 0)
        parts.append(_link_line(rng, depth))
    parts.append("")
    while len("\n".join(parts).encode("utf-8")) < budget:
        parts.append(_prose(rng))
        parts.append("")
    return "\n".join(parts) + "\n"


def post(rng: random.Random, number: int, day: dt.date) -> str:
    defect = rng.choice(DEFECTS) if rng.random() < DEFECT_RATE else None
    head = front_matter(rng, number, day, defect)
    budget = rng.randint(*TARGET_BYTES) - len(head.encode("utf-8"))
    return head + "\n" + body(rng, budget)


def config_yml() -> str:
    actors = "".join(
        f"  {key}:\n    name: {name}\n    image_url: https://www.gravatar.com/avatar/{key}?s=300\n"
        for key, name in ACTORS.items()
    )
    return (
        "title: bench.fm\n"
        "description: ベンチマーク用のポッドキャスト\n"
        "url: https://bench.example.fm\n"
        "language: ja\n"
        "timezone: Asia/Tokyo\n"
        "markdown: kramdown\n"
        "permalink: /episode/:title\n"
        "hashtag: benchfm\n"
        f"actors:\n{actors}"
    )


LAYOUT = """\
---
layout: default
---
<article class="episode">
  <h1>{{ page.title }}</h1>
  <audio controls preload="none" src="{{ page.audio_file_path | relative_url }}"></audio>
  <ul class="actors">
  {% for id in page.actor_ids %}<li>{{ site.actors[id].name }}</li>{% endfor %}
  </ul>
  {{ content }}
</article>
"""


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def generate(options: Options) -> list[Path]:
    """Write the site into ``options.out``; return the post paths in order."""
    posts_dir = options.out / "_posts"
    if posts_dir.is_dir() and any(posts_dir.iterdir()):
        raise FileExistsError(f"{posts_dir} is not empty")
    rng = random.Random(options.seed)
    write_text(options.out / "_config.yml", config_yml())
    write_text(options.out / "_layouts" / "article.html", LAYOUT)
    paths = []
    for number in range(1, options.count + 1):
        day = FIRST_DAY + dt.timedelta(days=number - 1)
        path = posts_dir / f"{day.isoformat()}-{number}.md"
        write_text(path, post(rng, number, day))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="number of posts")
    parser.add_argument("--out", type=Path, required=True, help="site folder to create")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be >= 0")
    try:
        generate(Options(args.count, args.out, args.seed))
    except FileExistsError as exc:
        print(f"gen_corpus: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
