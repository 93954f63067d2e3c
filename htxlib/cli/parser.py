"""The parser of ``htx``: argparse speaking Vietnamese, each command's arguments declared
by its own module (``add_arguments``) and their help read from resources/cli.yaml."""

from __future__ import annotations

import argparse
import re
import sys
from types import ModuleType
from typing import Any, NoReturn

from htxlib.errors import EXIT_INPUT
from htxlib.glossary import resource
from htxlib.provenance import htxlib_version

Group = argparse._ArgumentGroup  # what add_argument_group returns


class Parser(argparse.ArgumentParser):
    """argparse, with its usage errors said in Vietnamese (cli.yaml) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        words = resource("cli.yaml")
        for pattern, text in words["usage_errors"]:
            if found := re.fullmatch(pattern, message):
                message = text.format(*found.groups())
                break
        self.print_usage(sys.stderr)
        hint = words["usage_hint"].format(prog=self.prog)
        self.exit(EXIT_INPUT, f"{self.prog}: {message}\n{hint}\n")


class Formatter(argparse.HelpFormatter):
    """Help with a Vietnamese "usage:" line."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        if prefix is None:  # argparse passes "" when it builds a subcommand's name
            prefix = resource("cli.yaml")["usage"]
        super().add_usage(usage, actions, groups, prefix)


class Arguments:
    """What a command declares its arguments to: ``add(name, **argparse keywords)``, the
    help of each read from the command's ``args`` in cli.yaml (one text per name)."""

    def __init__(self, group: Group, helps: dict[str, str]) -> None:
        self._group = group
        self._helps = helps

    def add(self, name: str, **options: Any) -> None:
        self._group.add_argument(name, help=self._helps[name], **options)


def _with_help(make: Any, *args: Any, **kwargs: Any) -> tuple[argparse.ArgumentParser, Group]:
    """A parser whose arguments, -h included, sit in one group with a Vietnamese title."""
    words = resource("cli.yaml")
    parser = make(*args, add_help=False, formatter_class=Formatter, **kwargs)
    group = parser.add_argument_group(words["arguments"])
    group.add_argument("-h", "--help", action="help", help=words["help"])
    return parser, group


def build_parser(commands: dict[str, ModuleType]) -> argparse.ArgumentParser:
    """``htx`` and its ``commands`` (name: module), in that order; a command's module
    declares its arguments in ``add_arguments`` and runs in ``run``."""
    words = resource("cli.yaml")
    parser, top = _with_help(Parser, prog=words["prog"], description=words["description"])
    top.add_argument("-V", "--version", action="version", help=words["version"],
                     version=f"htx {htxlib_version()}")
    sub = parser.add_subparsers(dest="command", required=True, title=words["commands_title"],
                                metavar="{" + ",".join(commands) + "}")
    for name, module in commands.items():
        texts = words["commands"][name]
        _, group = _with_help(sub.add_parser, name, help=texts["help"],
                              description=texts["help"])
        module.add_arguments(Arguments(group, texts["args"]))
    return parser
