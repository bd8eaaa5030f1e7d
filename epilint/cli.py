"""Command line: parse arguments into settings, run, print, and pick the exit code.

No linting logic lives here. Exit codes: 0 clean, 1 violations, 2 usage or
configuration error, 3 internal error (a bug in epilint: the results are incomplete; never
mistaken for a result, whatever ``--exit-zero`` says).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from epilint import __version__
from epilint.errors import ConfigError

if TYPE_CHECKING:
    from epilint.config.settings import Settings
    from epilint.output import Report
    from epilint.run.pipeline import Outcome

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2
#: ``-`` as a PATH: read the file from stdin.
STDIN = "-"
EXIT_INTERNAL = 3
#: Set to print the traceback of an internal error (for epilint's developers).
TRACEBACK_ENV = "EPILINT_TRACEBACK"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        from epilint.output import printable

        self.exit(EXIT_ERROR, f"epilint: error: {printable(message)}{_did_you_mean(self, message)}\n")


def _options(parser: argparse.ArgumentParser) -> Iterator[str]:
    """Every option string of ``parser`` and its sub-commands."""
    for action in parser._actions:
        yield from (o for o in action.option_strings if o.startswith("--"))
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _options(sub)


def _did_you_mean(parser: argparse.ArgumentParser, message: str) -> str:
    """ " (did you mean …?)" for a misspelt option or command, when one is close."""
    from epilint.similar import closest

    unknown = re.match(r"unrecognized arguments: (.*)", message)
    if unknown:
        hints = []
        for word in unknown.group(1).split():
            if word.startswith("--"):
                near = closest(word.split("=", 1)[0], dict.fromkeys(_options(parser)), limit=3)
                if near is not None:
                    hints.append(f"`{near}` for `{word}`")
        return f" (did you mean {', '.join(hints)}?)" if hints else ""
    choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice:
        options = re.findall(r"'([^']*)'", choice.group(2)) or [o.strip() for o in choice.group(2).split(",")]
        near = closest(choice.group(1), options, limit=3)
        return f" (did you mean `{near}`?)" if near else ""
    return ""


def build_parser() -> argparse.ArgumentParser:
    from epilint.config.settings import COLOR_CHOICES, DEFAULT_FAIL_ON, SEVERITY_CHOICES, TEXT_LAYOUTS
    from epilint.output import FORMATTERS

    parser = _Parser(
        prog="epilint", description="Lint podcast episode pages (Jekyll front matter and show notes)."
    )
    parser.add_argument("--version", action="version", version=f"epilint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser(
        "check",
        help="lint files and folders",
        description="Lint episode files and folders (default: the site's _posts/, or the config's include).",
    )
    check.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders to lint, or `-` to read stdin"
    )
    check.add_argument("--fix", action="store_true", help="apply safe fixes in place; report what remains")
    check.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix/--diff, also apply unsafe fixes"
    )
    check.add_argument(
        "--show-fixes",
        action="store_true",
        help="with --fix/--diff, list the fixes applied, per file and rule",
    )
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    check.add_argument(
        "--add-suppressions",
        action="store_true",
        help="add a suppression comment for every finding (like ruff's --add-noqa), then exit 0",
    )
    check.add_argument("--online", action="store_true", help="also check links over the network")

    rules = check.add_argument_group("Rule selection")
    rules.add_argument("--select", metavar="CODES", help="comma list of codes or prefixes to enable (or ALL)")
    rules.add_argument(
        "--extend-select", metavar="CODES", help="like --select, but adds to the codes already selected"
    )
    rules.add_argument("--ignore", metavar="CODES", help="comma list of codes or prefixes to disable")
    rules.add_argument("--extend-ignore", metavar="CODES", help="the same as --ignore (adds to `ignore`)")

    files = check.add_argument_group("File selection")
    files.add_argument(
        "--since",
        metavar="REF",
        help="lint only the episode files added or changed since git REF (and every post, "
        "when a site-wide input changed)",
    )
    files.add_argument(
        "--force-exclude",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="apply `exclude` to files named on the command line too (as the pre-commit hooks do)",
    )
    files.add_argument(
        "--stdin-filename", metavar="PATH", help="with `-`: the path the text on stdin is judged as"
    )

    shown = check.add_argument_group("Output")
    formats = sorted({*FORMATTERS, *TEXT_LAYOUTS})
    shown.add_argument(
        "--output-format",
        "--format",
        dest="format",
        choices=formats,
        default=None,
        metavar="FORMAT",
        help=f"{', '.join(formats)} (default: text, grouped by file on a terminal for many "
        "findings; github when GITHUB_ACTIONS=true)",
    )
    shown.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report to FILE")
    shown.add_argument(
        "--statistics", action="store_true", help="print a count per rule instead of each finding"
    )
    shown.add_argument("-q", "--quiet", action="store_true", help="print the findings, and nothing else")
    shown.add_argument(
        "--color", choices=COLOR_CHOICES, default="auto", help="colour the text report (default: auto)"
    )
    shown.add_argument(
        "--watch",
        action="store_true",
        help="check again after every change, with a fresh report (Ctrl-C stops)",
    )

    status = check.add_argument_group("Exit status")
    status.add_argument(
        "-e", "--exit-zero", action="store_true", help="exit 0 even when violations are found"
    )
    status.add_argument(
        "--fail-on",
        choices=SEVERITY_CHOICES[:2],
        default=None,
        help=f"the least severe finding that fails the run (default: {DEFAULT_FAIL_ON.value})",
    )

    adopting = check.add_argument_group("Baseline")
    adopting.add_argument(
        "--baseline", type=Path, metavar="FILE", help="report only findings that FILE does not record"
    )
    adopting.add_argument(
        "--write-baseline", type=Path, metavar="FILE", help="record every finding in FILE, then exit 0"
    )

    configuration = check.add_argument_group("Configuration")
    configuration.add_argument("--config", type=Path, metavar="FILE", help="config file to use")
    configuration.add_argument("--site-root", type=Path, metavar="DIR", help="the Jekyll site root")
    configuration.add_argument(
        "--schema",
        type=Path,
        metavar="FILE|NAME",
        help="JSON Schema for the front matter, or a bundled schema's name",
    )
    configuration.add_argument("-n", "--no-cache", action="store_true", help="ignore the results cache")

    preview = commands.add_parser(
        "feed",
        help="print the feed items the site's own feed template makes for episodes",
        description="Print each episode's predicted feed items (the site's own feed template rendered "
        "as Jekyll would): the preview to check before pushing.",
    )
    preview.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="episode files or folders (default: the site's posts)",
    )
    preview.add_argument("--since", metavar="REF", help="only the episodes added or changed since git REF")
    preview.add_argument(
        "--format", choices=("text", "json"), default="text", help="XML with comments (default) or JSON data"
    )
    preview.add_argument("--config", type=Path, metavar="FILE", help="the epilint config file")
    preview.add_argument(
        "--site-root", type=Path, metavar="DIR", help="the site root (default: found per file)"
    )
    preview.add_argument("-n", "--no-cache", action="store_true", help="do not use the prediction cache")

    commands.add_parser(
        "server", help="run the language server on stdin/stdout (for editors: docs/editors.md)"
    )
    commands.add_parser("rules", help="list every rule")
    explain = commands.add_parser("rule", help="explain one rule")
    explain.add_argument("code", metavar="CODE")
    schema = commands.add_parser("schema", help="the bundled schemas")
    schema_commands = schema.add_subparsers(dest="schema_command", metavar="ACTION", parser_class=_Parser)
    schema_commands.add_parser("list", help="list the bundled schemas")
    show = schema_commands.add_parser("show", help="print a bundled schema")
    show.add_argument("name", metavar="NAME")
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
    if args.command == "check":
        _usage(parser, args)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "feed":
            return _feed(args, sys.stdout)
        if args.command == "server":
            from epilint.editor import server

            return server.main()
        if args.command == "rules":
            return _rules(sys.stdout)
        if args.command == "rule":
            return _rule(args.code, sys.stdout)
        if args.command == "schema":
            return _schema(args, sys.stdout, parser)
    except ConfigError as exc:
        _note(f"error: {exc}")
        return EXIT_ERROR
    except BrokenPipeError:  # `epilint check | head`
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # a bug: one clear line and its own exit status, never a result
        return _internal_error(exc)
    parser.print_help(sys.stderr)
    return EXIT_ERROR


def _note(line: str) -> None:
    """One line on stderr, its control characters escaped (values and paths reach here)."""
    from epilint.output import printable

    print(f"epilint: {printable(line)}", file=sys.stderr)


def _usage(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Flags that make no sense together (exit 2, as argparse's own errors)."""
    if args.unsafe_fixes and not (args.fix or args.diff):
        parser.error("--unsafe-fixes only takes effect with --fix or --diff")
    if args.show_fixes and not (args.fix or args.diff):
        parser.error("--show-fixes only takes effect with --fix or --diff")
    stdin = [p for p in args.paths if str(p) == STDIN]
    if stdin and len(args.paths) > 1:
        parser.error("`-` (stdin) cannot be combined with other paths")
    if args.stdin_filename is not None and not stdin:
        parser.error("--stdin-filename only takes effect with `-` as the path")
    if args.add_suppressions and (args.fix or args.diff or stdin):
        parser.error("--add-suppressions cannot be combined with --fix, --diff or `-`")
    if args.write_baseline is not None and (args.fix or args.diff or args.add_suppressions):
        parser.error("--write-baseline cannot be combined with --fix, --diff or --add-suppressions")
    if args.watch and (args.fix or args.diff or args.add_suppressions or stdin):
        parser.error(
            "--watch only checks: it cannot be combined with --fix, --diff, --add-suppressions or `-`"
        )


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


def _codes(flag: str, value: str | None) -> tuple[str, ...] | None:
    from epilint.config.settings import split_codes
    from epilint.lint import registry

    codes = split_codes(value)
    for code in codes or ():
        if code and not registry.known_prefix(code):
            near = registry.closest_code(code)
            hint = f"did you mean `{near}`? " if near else ""
            raise ConfigError(f"{flag}: `{code}` matches no rule code ({hint}see `epilint rules`)")
    return codes


def _settings(args: argparse.Namespace) -> Settings:
    from epilint.config.settings import with_overrides
    from epilint.model import Severity
    from epilint.run import pipeline

    settings = pipeline.load_settings(Path.cwd(), args.config)
    select = _codes("--select", args.select)
    extend = _codes("--extend-select", args.extend_select) or ()
    ignore = (
        *(_codes("--ignore", args.ignore) or ()),
        *(_codes("--extend-ignore", args.extend_ignore) or ()),
    )
    return with_overrides(
        settings,
        select=(*(select if select is not None else settings.select), *extend) if select or extend else None,
        ignore=(*settings.ignore, *ignore) if ignore else None,
        schema=args.schema,
        site_root=args.site_root,
        online=True if args.online else None,
        cache=False if args.no_cache else None,
        force_exclude=args.force_exclude,
        fail_on=Severity(args.fail_on) if args.fail_on else None,
        baseline=args.baseline,
    )


def _check(args: argparse.Namespace) -> int:
    import gc

    # A run allocates mostly acyclic records that live until the report is written: the
    # collector's passes over them would only cost time (a full pass walks them all).
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        return _watch(args) if args.watch else _run_check(args)
    finally:
        gc.set_threshold(*thresholds)


def _watch(args: argparse.Namespace) -> int:
    """``--watch``: a report now and after every change below the watched folders
    (``epilint/run/watch.py``) until Ctrl-C, which exits 0. A configuration error in a
    later run is printed and the watch goes on."""
    from epilint.run import cache, watch

    settings = _settings(args)
    folders = watch.targets(args.paths, settings)
    location = cache.location(settings)
    ignore = [location.resolve()] if location is not None else []
    if args.output is not None:
        ignore.append(args.output.resolve())
    try:
        for batch in watch.changes(folders, ignore):
            if batch:
                shown = ", ".join(sorted(os.path.relpath(p) for p in batch)[:3])
                more = f" and {len(batch) - 3} more" if len(batch) > 3 else ""
                _note(f"changed: {shown}{more}")
            try:
                _run_check(args)
            except ConfigError as exc:
                _note(f"error: {exc}")
            print("epilint: watching for changes (Ctrl-C to stop)", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def _color(args: argparse.Namespace, fmt: str, stream: TextIO) -> bool:
    if fmt != "text" or args.color == "never":
        return False
    if args.color == "always":
        return True
    return args.output is None and stream.isatty() and "NO_COLOR" not in os.environ


def _run_check(args: argparse.Namespace) -> int:
    from epilint import output
    from epilint.config.settings import DEFAULT_LAYOUT, GROUP_ABOVE, TEXT_LAYOUTS
    from epilint.run import pipeline

    settings = _settings(args)
    schema = pipeline.load_schema(settings)
    if settings.site_root is not None and not settings.site_root.is_dir():
        raise ConfigError(f"--site-root {settings.site_root} is not a folder")
    chosen = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    fmt = "text" if chosen in TEXT_LAYOUTS else chosen
    stream: TextIO = sys.stdout
    color = _color(args, fmt, stream)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY") if fmt == "github" else None
    mode = pipeline.Mode.CHECK
    if args.diff:
        mode = pipeline.Mode.DIFF
    elif args.fix:
        mode = pipeline.Mode.FIX
    elif args.add_suppressions:
        mode = pipeline.Mode.SUPPRESS
    paths = tuple(args.paths)
    stdin: bytes | None = None
    if paths and str(paths[0]) == STDIN:
        stdin = sys.stdin.buffer.read()
        paths = (Path(os.path.abspath(args.stdin_filename or STDIN)),)
    on_terminal = args.output is None and stream.isatty()
    layout = chosen if chosen in TEXT_LAYOUTS else None
    request = pipeline.Request(
        settings,
        schema,
        paths,
        mode,
        unsafe=args.unsafe_fixes,
        since=args.since,
        progress=pipeline.progress_wanted(fmt),
        report_options=(fmt, layout, on_terminal, color, args.statistics, args.quiet),
        stdin=stdin,
        write_baseline=args.write_baseline,
        memo=summary_file is None,
    )

    def report_of(outcome: Outcome) -> Report:
        count = outcome.result.count
        grouped = on_terminal and count > GROUP_ABOVE
        return output.Report(
            outcome.result,
            color=color,
            statistics=args.statistics,
            fixed=outcome.fixed,
            layout=layout or ("grouped" if grouped else DEFAULT_LAYOUT),
            quiet=args.quiet,
            scope=outcome.scope if fmt == "text" else (),
            applied=outcome.applied,
            show_fixes=args.show_fixes,
        )

    def render(outcome: Outcome) -> str:
        return output.formatter(fmt)(report_of(outcome))

    outcome = pipeline.run(request, render)
    for line in outcome.notes:
        _note(line)
    if mode is pipeline.Mode.SUPPRESS or args.write_baseline is not None:
        for line in outcome.scope:  # what was written; the findings are in the files now
            _note(line)
        return EXIT_OK
    if fmt != "text" and not args.quiet:
        for line in outcome.scope:
            _note(line)
    in_report = fmt == "text" and outcome.diff is None and outcome.fixed_text is None
    if args.show_fixes and outcome.applied and not in_report:
        from epilint.output.text import fixes

        for line in fixes(outcome.applied, would=args.diff).splitlines():
            _note(line)
    for line in outcome.internal:
        _note(f"internal error: {line}")
    if outcome.fixed_text is not None:  # `-` with --fix: the fixed text, as ruff does
        _emit(args.output, outcome.fixed_text, stream)
    elif outcome.report is not None:
        _emit(args.output, outcome.report, stream)
    elif outcome.diff is not None:
        _emit(args.output, outcome.diff, stream)
    else:
        report = report_of(outcome)
        if args.output is not None:
            _emit(args.output, output.formatter(fmt)(report), stream)
        else:
            output.write(fmt, report, stream)
            stream.flush()
        if summary_file:
            _job_summary(Path(summary_file), report)
    if outcome.internal:  # whatever --exit-zero says: the report is incomplete
        count = len(outcome.internal)
        _note(
            f"{count} internal error{'' if count == 1 else 's'} (bugs in epilint): the report is incomplete"
        )
        return EXIT_INTERNAL
    if outcome.diff is not None:  # --diff: exit 1 when the fixes would change something
        return EXIT_VIOLATIONS if outcome.diff and not args.exit_zero else EXIT_OK
    if outcome.violations and not args.exit_zero:
        return EXIT_VIOLATIONS
    return EXIT_OK


def _job_summary(target: Path, report: Report) -> None:
    """Append the run's Markdown summary to GitHub's job summary file."""
    from epilint.output.github import job_summary

    try:
        with target.open("a", encoding="utf-8") as handle:
            handle.write(job_summary(report))
    except OSError as exc:
        _note(f"cannot write the job summary {target}: {exc.strerror or exc}")


def _emit(target: Path | None, text: str, stream: TextIO) -> None:
    if target is None:
        stream.write(text)
        stream.flush()
        return
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None


def _feed(args: argparse.Namespace, out: TextIO) -> int:
    """``epilint feed``: the predicted items of the episodes named (or the site's posts)."""
    from epilint.config.settings import with_overrides
    from epilint.output import feed
    from epilint.run import pipeline

    settings = pipeline.load_settings(Path.cwd(), args.config)
    settings = with_overrides(settings, site_root=args.site_root, cache=False if args.no_cache else None)
    request = pipeline.Request(settings, pipeline.load_schema(settings), tuple(args.paths), since=args.since)
    previews, scope = pipeline.preview(request)
    render = feed.render_json if args.format == "json" else feed.render_text
    out.write(render(previews, scope))
    return EXIT_OK


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
        near = registry.closest_code(code)
        hint = f"did you mean `{near}`? " if near else ""
        _note(f"error: no rule {code!r} ({hint}see `epilint rules`)")
        return EXIT_ERROR
    out.write(f"{rule.code} {rule.name} [{rule.severity.value}] (fix: {rule.fix.value})\n\n{rule.doc}\n")
    return EXIT_OK


def _schema(args: argparse.Namespace, out: TextIO, parser: argparse.ArgumentParser) -> int:
    """``epilint schema list`` / ``epilint schema show NAME``."""
    import json

    from epilint.schema import load

    if args.schema_command == "list":
        for name in load.bundled_names():
            path = load.bundled_by_name(name)
            assert path is not None
            raw = json.loads(path.read_text(encoding="utf-8"))
            title = raw.get("title", "") if isinstance(raw, dict) else ""
            default = "  (default)" if path.name == load.DEFAULT_SCHEMA else ""
            required = ", ".join(raw.get("required", [])) if isinstance(raw, dict) else ""
            out.write(f"{name}{default}: {title}\n    required: {required}\n")
        return EXIT_OK
    if args.schema_command == "show":
        path = load.bundled_by_name(args.name)
        if path is None:
            from epilint.similar import closest

            near = closest(args.name, load.bundled_names())
            hint = f"did you mean `{near}`? " if near else ""
            raise ConfigError(
                f"no bundled schema {args.name!r} ({hint}bundled: {', '.join(load.bundled_names())})"
            )
        out.write(path.read_text(encoding="utf-8"))
        return EXIT_OK
    parser.parse_args(["schema", "--help"])
    return EXIT_ERROR
