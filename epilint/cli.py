"""Command line: parse arguments into settings, run, print, and pick the exit code.

No linting logic lives here. Exit codes: 0 clean, 1 violations, 2 usage or
configuration error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from epilint import __version__
from epilint.errors import ConfigError

if TYPE_CHECKING:
    from epilint.runner import Linter

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"epilint: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from epilint.output import FORMATTERS

    parser = _Parser(
        prog="epilint", description="Lint podcast episode pages (Jekyll front matter and show notes)."
    )
    parser.add_argument("--version", action="version", version=f"epilint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="lint files and folders")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    check.add_argument(
        "--format",
        choices=sorted(FORMATTERS),
        default=None,
        help="output format (default: text; github when GITHUB_ACTIONS=true)",
    )
    check.add_argument("--output", type=Path, metavar="FILE", help="write the report to FILE")
    check.add_argument("--select", metavar="CODES", help="comma list of codes or prefixes to enable")
    check.add_argument("--ignore", metavar="CODES", help="comma list of codes or prefixes to disable")
    check.add_argument("--config", type=Path, metavar="FILE", help="config file to use")
    check.add_argument("--site-root", type=Path, metavar="DIR", help="the Jekyll site root")
    check.add_argument("--schema", type=Path, metavar="FILE", help="JSON Schema for the front matter")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when violations are found")
    check.add_argument("--statistics", action="store_true", help="print a count per rule")
    check.add_argument("--fix", action="store_true", help="apply safe fixes in place; report what remains")
    check.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix/--diff, also apply unsafe fixes"
    )
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    check.add_argument("--online", action="store_true", help="also check links over the network")
    check.add_argument(
        "--since", metavar="REF", help="lint only the episode files added or changed since git REF"
    )
    check.add_argument("--no-cache", action="store_true", help="ignore the results cache")

    commands.add_parser("rules", help="list every rule")
    explain = commands.add_parser("rule", help="explain one rule")
    explain.add_argument("code", metavar="CODE")
    return parser


def entry() -> None:
    """The ``epilint`` command (and ``python -m epilint``): ``main``, then a quick exit.

    When ``main`` returns, the report is written, the results cache saved and any worker
    processes are gone; yet a normal interpreter exit would then free every module and
    object one by one, which takes longer than linting a file (≈ 14 ms, against ≈ 8 ms for
    a bare ``import yaml``). So the streams are flushed and the process ends with
    ``os._exit``, as mypy does. Under a tracer or profiler (coverage, cProfile) it exits
    normally, so they can write their data.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (`epilint check | head`), a closed stream
        pass
    if sys.gettrace() is None and sys.getprofile() is None:
        os._exit(code)
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "unsafe_fixes", False) and not (args.fix or args.diff):
        parser.error("--unsafe-fixes only takes effect with --fix or --diff")
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "rules":
            return _rules(sys.stdout)
        if args.command == "rule":
            return _rule(args.code, sys.stdout)
    except ConfigError as exc:
        print(f"epilint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `epilint check | head`
        sys.stderr.close()
        return EXIT_OK
    parser.print_help(sys.stderr)
    return EXIT_ERROR


def _settings(args: argparse.Namespace) -> object:
    from epilint import config

    if args.config is not None:
        if not args.config.is_file():
            raise ConfigError(f"config file {args.config} does not exist")
        settings = config.load(args.config, explicit=True)
    else:
        settings = config.load(config.find_config(Path.cwd()))
    select = config.split_codes(args.select)
    ignore = config.split_codes(args.ignore)
    from epilint import registry

    for code in (*(select or ()), *(ignore or ())):
        if not registry.known_prefix(code) and code:
            raise ConfigError(f"`{code}` matches no rule code (see `epilint rules`)")
    return config.with_overrides(
        settings,
        select=select,
        ignore=(*settings.ignore, *ignore) if ignore else None,
        schema=args.schema,
        site_root=args.site_root,
        online=True if args.online else None,
        cache=False if args.no_cache else None,
    )


def _check(args: argparse.Namespace) -> int:
    import gc

    # A run allocates mostly acyclic records that live until the report is written: the
    # collector's passes over them would only cost time (a full pass walks them all).
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        return _run_check(args)
    finally:
        gc.set_threshold(*thresholds)


def _run_check(args: argparse.Namespace) -> int:
    from epilint import output, runner, schema
    from epilint.config import Settings

    settings = _settings(args)
    assert isinstance(settings, Settings)
    schema_path = settings.schema or schema.bundled_schema()
    loaded = schema.load_schema(schema_path)
    if settings.site_root is not None and not settings.site_root.is_dir():
        raise ConfigError(f"--site-root {settings.site_root} is not a folder")
    linter = runner.Linter(settings, loaded)
    found = runner.discover(args.paths, settings, linter.real)
    if found.missing:
        raise ConfigError(f"no such file or folder: {found.missing[0]}")
    files = found.files
    if args.since is not None:
        from epilint import gitdiff

        files = gitdiff.keep_changed(files, gitdiff.changed_files(args.since))
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    fixing = args.fix or args.diff
    if settings.online:
        from epilint import online

        online.attach(linter, settings, progress=fmt == "text" and sys.stderr.isatty())
    stream: TextIO = sys.stdout
    color = fmt == "text" and args.output is None and stream.isatty() and "NO_COLOR" not in os.environ
    memo_key: str | None = None
    if not settings.online and settings.cache and not fixing:  # network answers and fixes bypass it
        from epilint import cache, memo

        key = cache.run_key(settings, loaded, (r.code for r in linter.rules))
        folder = cache.location(settings)
        memo_key = memo.key(
            _run_identity(linter, key, files, fmt=fmt, color=color, statistics=args.statistics)
        )
        remembered = memo.load(folder, memo_key)
        if remembered is not None:  # nothing changed since the same run: its report stands
            _emit(args.output, remembered.output, stream)
            return EXIT_VIOLATIONS if remembered.violations and not args.exit_zero else EXIT_OK
        linter.cache = cache.ResultsCache.open(folder, key)
    fixed: tuple[int, int] | None = None
    diff: str | None = None
    if fixing:
        from epilint import fixer

        outcome = fixer.run(linter, files, unsafe=args.unsafe_fixes, write=not args.diff)
        for line in outcome.notes:
            print(f"epilint: {line}", file=sys.stderr)
        result, fixed, diff = linter.with_collection(outcome.result), outcome.counts, outcome.diff
    else:
        result = linter.lint(files)
    report = output.Report(result, color=color, statistics=args.statistics, fixed=fixed)
    if memo_key is not None and linter.cache is not None:
        rendered = output.formatter(fmt)(report)
        _remember(memo_key, linter, files, rendered, result.count)
        _emit(args.output, rendered, stream)
    elif diff is not None:
        _emit(args.output, diff, stream)
    elif args.output is not None:
        _emit(args.output, output.formatter(fmt)(report), stream)
    else:
        output.write(fmt, report, stream)
        stream.flush()
    if diff is not None:  # --diff: exit 1 when the fixes would change something
        return EXIT_VIOLATIONS if diff and not args.exit_zero else EXIT_OK
    if result.count and not args.exit_zero:
        return EXIT_VIOLATIONS
    return EXIT_OK


def _run_identity(
    linter: Linter, run_key: str, files: Sequence[Path], *, fmt: str, color: bool, statistics: bool
) -> list[object]:
    """What makes two runs the same run, apart from file contents (``epilint/memo.py``).

    Sites are found the way the run finds them (``--site-root`` included), and stay cached
    in the linter for the run itself when the memo does not answer.
    """
    prints = sorted({(str(s.root), s.fingerprint) for s in map(linter.site_for, files) if s is not None})
    return [run_key, fmt, color, statistics, os.getcwd(), [os.fspath(p) for p in files], prints]


def _remember(key: str, linter: Linter, files: Sequence[Path], rendered: str, count: int) -> None:
    """Store the run's report with every file it depends on (``epilint/memo.py``)."""
    from epilint import memo

    cache = linter.cache
    assert cache is not None
    paths = [os.path.abspath(p) for p in files]
    depends, expires = cache.inputs(files)
    if linter.collection_rules:  # other posts, and their folders (a post added or removed)
        for root in {s.root for s in map(linter.site_for, files) if s is not None}:
            for folder, _dirs, names in os.walk(root / "_posts"):
                depends.append(folder)
                depends.extend(os.path.join(folder, name) for name in names)
    memo.store(cache.folder, key, memo.Report(rendered, count), [*paths, *depends], expires)


def _emit(target: Path | None, text: str, stream: TextIO) -> None:
    if target is None:
        stream.write(text)
        stream.flush()
        return
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None


def _rules(out: TextIO) -> int:
    from epilint import registry

    rules = registry.load_rules()
    width = max(len(r.name) for r in rules.values())
    for rule in rules.values():
        out.write(f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<7}  fix: {rule.fix.value}\n")
    return EXIT_OK


def _rule(code: str, out: TextIO) -> int:
    from epilint import registry

    rules = registry.load_rules()
    rule = rules.get(code.upper())
    if rule is None:
        print(f"epilint: error: no rule {code!r} (see `epilint rules`)", file=sys.stderr)
        return EXIT_ERROR
    out.write(f"{rule.code} {rule.name} [{rule.severity.value}] (fix: {rule.fix.value})\n\n{rule.doc}\n")
    return EXIT_OK
