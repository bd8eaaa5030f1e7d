"""Command line: parse arguments into settings, run, print, and pick the exit code.

No linting logic lives here. Exit codes: 0 clean, 1 violations, 2 usage or
configuration error, 3 internal error (a bug in epilint: the results are incomplete; never
mistaken for a result, whatever ``--exit-zero`` says).
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
    from epilint.config.settings import Settings
    from epilint.lint.results import RunResult

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3
#: Set to print the traceback of an internal error (for epilint's developers).
TRACEBACK_ENV = "EPILINT_TRACEBACK"


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
    except Exception as exc:  # a bug: one clear line and its own exit status, never a result
        return _internal_error(exc)
    parser.print_help(sys.stderr)
    return EXIT_ERROR


def _internal_error(exc: BaseException) -> int:
    from epilint.lint.results import failure_text

    if os.environ.get(TRACEBACK_ENV):
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    print(
        f"epilint: internal error: {failure_text(exc)} (a bug in epilint, not a problem of your "
        f"files; set {TRACEBACK_ENV}=1 for the traceback)",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


def _settings(args: argparse.Namespace) -> Settings:
    from epilint.config import discovery
    from epilint.config.settings import split_codes, with_overrides
    from epilint.lint import registry

    known = registry.known_prefix
    if args.config is not None:
        if not args.config.is_file():
            raise ConfigError(f"config file {args.config} does not exist")
        settings = discovery.load(args.config, explicit=True, known=known)
    else:
        settings = discovery.load(discovery.find_config(Path.cwd()), known=known)
    select = split_codes(args.select)
    ignore = split_codes(args.ignore)
    for code in (*(select or ()), *(ignore or ())):
        if not known(code) and code:
            raise ConfigError(f"`{code}` matches no rule code (see `epilint rules`)")
    return with_overrides(
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
    from epilint import output
    from epilint.run import pipeline
    from epilint.schema import load

    settings = _settings(args)
    schema = load.load_schema(settings.schema or load.bundled_schema())
    if settings.site_root is not None and not settings.site_root.is_dir():
        raise ConfigError(f"--site-root {settings.site_root} is not a folder")
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    stream: TextIO = sys.stdout
    color = fmt == "text" and args.output is None and stream.isatty() and "NO_COLOR" not in os.environ
    mode = pipeline.Mode.DIFF if args.diff else pipeline.Mode.FIX if args.fix else pipeline.Mode.CHECK
    request = pipeline.Request(
        settings,
        schema,
        tuple(args.paths),
        mode,
        unsafe=args.unsafe_fixes,
        since=args.since,
        progress=pipeline.progress_wanted(fmt),
        report_options=(fmt, color, args.statistics),
    )

    def render(result: RunResult, fixed: tuple[int, int] | None) -> str:
        return output.formatter(fmt)(
            output.Report(result, color=color, statistics=args.statistics, fixed=fixed)
        )

    outcome = pipeline.run(request, render)
    for line in outcome.notes:
        print(f"epilint: {line}", file=sys.stderr)
    for line in outcome.internal:
        print(f"epilint: internal error: {line}", file=sys.stderr)
    if outcome.report is not None:
        _emit(args.output, outcome.report, stream)
    elif outcome.diff is not None:
        _emit(args.output, outcome.diff, stream)
    else:
        report = output.Report(outcome.result, color=color, statistics=args.statistics, fixed=outcome.fixed)
        if args.output is not None:
            _emit(args.output, output.formatter(fmt)(report), stream)
        else:
            output.write(fmt, report, stream)
            stream.flush()
    if outcome.internal:  # whatever --exit-zero says: the report is incomplete
        print(
            f"epilint: {len(outcome.internal)} internal error{'' if len(outcome.internal) == 1 else 's'} "
            "(bugs in epilint): the report above is incomplete",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    if outcome.diff is not None:  # --diff: exit 1 when the fixes would change something
        return EXIT_VIOLATIONS if outcome.diff and not args.exit_zero else EXIT_OK
    if outcome.violations and not args.exit_zero:
        return EXIT_VIOLATIONS
    return EXIT_OK


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
    from epilint.lint import registry

    rules = registry.load_rules()
    width = max(len(r.name) for r in rules.values())
    for rule in rules.values():
        out.write(f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<7}  fix: {rule.fix.value}\n")
    return EXIT_OK


def _rule(code: str, out: TextIO) -> int:
    from epilint.lint import registry

    rules = registry.load_rules()
    rule = rules.get(code.upper())
    if rule is None:
        print(f"epilint: error: no rule {code!r} (see `epilint rules`)", file=sys.stderr)
        return EXIT_ERROR
    out.write(f"{rule.code} {rule.name} [{rule.severity.value}] (fix: {rule.fix.value})\n\n{rule.doc}\n")
    return EXIT_OK
