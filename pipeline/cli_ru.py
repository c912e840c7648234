"""click in Russian: every word of click's own that staff may see (usage, help, its errors).

click marks its messages for gettext (`from gettext import gettext as _` in each of its modules) but
ships no catalogue, and a catalogue found through the environment (LANGUAGE, .mo files) would not work
on staff's Windows machines. So the gettext functions click's modules call are replaced, once, by
lookups in the table below; a message not in the table stays as click wrote it (a test runs every kind
of wrong call staff make and checks the answer has no English word). The help texts' metavars
(«[OPTIONS]», «COMMAND») are not gettext messages: RuGroup and RuCommand give Russian ones.
"""

from __future__ import annotations

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

MESSAGES = {
    "Usage:": "Запуск:",
    "Options": "Параметры",
    "Commands": "Команды",
    "Positional arguments": "Аргументы",
    "Show this message and exit.": "Показать эту справку и выйти.",
    "Show the version and exit.": "Показать версию программы и выйти.",
    "%(prog)s, version %(version)s": "%(prog)s, версия %(version)s",
    "Error: {message}": "Ошибка: {message}",
    "Try '{command} {option}' for help.": "Справка по команде: {command} {option}",
    "No such option {name!r}.": "Нет параметра {name!r}.",
    "No such command {name!r}.": "Нет команды {name!r}.",
    "Missing command.": "Не указана команда (например: uchet build).",
    "Missing argument": "Не указан аргумент",
    "Missing option": "Не указан параметр",
    "Missing parameter": "Не указан параметр",
    "Missing parameter: {param_name}": "Не указан параметр: {param_name}",
    "Did you mean {possibility}?": "Возможно, имелось в виду {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Возможно, имелось в виду одно из: {possibilities}?)",
    "Invalid value: {message}": "Недопустимое значение: {message}",
    "Invalid value for {param_hint}: {message}": "Недопустимое значение {param_hint}: {message}",
    "{value!r} is not one of {choices}.": "{value!r} — не одно из значений {choices}.",
    "{value!r} is not {choice}.": "{value!r} — не {choice}.",
    "{value!r} does not match the format {format}.": "{value!r} — не дата в виде {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} — не дата ни в одном из видов {formats}.",
    "{value!r} is not a valid {number_type}.": "{value!r} — не число.",
    "{value} is not in the range {range}.": "{value} — вне допустимых пределов {range}.",
    "Option {name!r} requires an argument.": "После параметра {name!r} нужно указать значение.",
    "Option {name!r} requires {nargs} arguments.": "После параметра {name!r} нужно указать {nargs} значения.",
    "Got unexpected extra argument ({args})": "Лишний аргумент ({args}).",
    "Got unexpected extra arguments ({args})": "Лишние аргументы ({args}).",
    "Aborted!": "Прервано.",
    "default: {default}": "по умолчанию: {default}",
    "required": "обязательно",
    "file": "Файл",
    "directory": "Папка",
    "path": "Путь",
    "{name} {filename!r} does not exist.": "{name} {filename!r} не существует.",
    "{name} {filename!r} is a file.": "{name} {filename!r} — это файл, а нужна папка.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} — это папка, а нужен файл.",
    "{name} {filename!r} is not readable.": "{name} {filename!r}: нет прав на чтение.",
    "{name} {filename!r} is not writable.": "{name} {filename!r}: нет прав на запись.",
    "Choose from:\n\t{choices}": "Выберите одно из:\n\t{choices}",
    "Invalid start character for option ({option})": "Неверный первый символ параметра ({option})",
}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Make click's modules look their messages up here (idempotent)."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


class RuCommand(click.Command):
    """A command whose usage line reads «Запуск: uchet build [ПАРАМЕТРЫ]»."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[ПАРАМЕТРЫ]")
        super().__init__(*args, **kwargs)


class RuGroup(click.Group):
    """The `uchet` group: Russian metavars, and every subcommand a RuCommand."""

    command_class = RuCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[ПАРАМЕТРЫ]")
        kwargs.setdefault("subcommand_metavar", "КОМАНДА [ПАРАМЕТРЫ]...")
        super().__init__(*args, **kwargs)


class RuDate(click.DateTime):
    """A date option: «2025-06-01» or «01.06.2025»; a wrong one is told in words staff know, not «%Y-%m-%d»."""

    name = "дата"

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d", "%d.%m.%Y"])

    def get_metavar(self, param, ctx=None) -> str:  # noqa: ARG002 - click's signature
        return "ДАТА"

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"«{value}» — не дата: укажите ГГГГ-ММ-ДД или ДД.ММ.ГГГГ, например 2025-06-01.", param, ctx)
