"""Letter templates are Django template text that administrators write. Compiled with an engine of their own
(debug on, so a mistake is reported with its line), without the tags that would reach other templates or dump
the context, and rendered without HTML escaping: the result is plain text, escaped when it is drawn as a PDF."""

import functools
import re

from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.base import VariableDoesNotExist

from casework.errors import InvalidInput

FORBIDDEN_TAGS = re.compile(r"{%-?\s*(include|extends|ssi|debug|block)\b")
INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']\s*%}""")
AUTOESCAPE = re.compile(r"{%\s*(autoescape\s+off|endautoescape)\s*%}")


@functools.cache
def _engine():
    django = engines["django"].engine
    return Engine(
        dirs=django.dirs,
        loaders=django.loaders,
        libraries=django.libraries,
        builtins=[b for b in django.builtins if b not in Engine.default_builtins],
        debug=True,
        autoescape=False,
    )


def _problem(error, body):
    info = getattr(error, "template_debug", None)
    message = str(error.args[0]) if error.args else str(error)
    if info and info.get("line"):
        message = re.sub(r" on line \d+", "", message)
        line = body.splitlines()[info["line"] - 1].strip() if body.splitlines() else ""
        return f"Line {info['line']}: {message} (in “{line[:80]}”)."
    return f"{message}."


def compile_text(body, field="body"):
    """The compiled template, or InvalidInput saying what is wrong and on which line."""
    found = FORBIDDEN_TAGS.search(body or "")
    if found:
        line = (body or "")[: found.start()].count("\n") + 1
        raise InvalidInput(
            f"Line {line}: a letter template cannot use the '{found.group(1)}' tag; write the words out.", field
        )
    try:
        return _engine().from_string(body or "")
    except TemplateSyntaxError as error:
        raise InvalidInput(f"The template has a mistake. {_problem(error, body)}", field) from error


def render_text(body, context, field="body"):
    """The letter's words: the template rendered with `context`, blank runs of lines squeezed to one."""
    template = compile_text(body, field)
    try:
        text = template.render(Context(context, autoescape=False))
    except (TemplateSyntaxError, TemplateDoesNotExist, VariableDoesNotExist, TypeError, ValueError) as error:
        raise InvalidInput(f"The template could not be filled in. {_problem(error, body)}", field) from error
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def flatten_seed(path, replacements):
    """A template file as one text an administrator can edit: each include replaced by its replacement, or by
    the included file's own (flattened) text; the autoescape wrappers dropped (letters render without it)."""
    source = engines["django"].engine.get_template(path).source

    def include(match):
        name = match.group(1)
        return replacements[name] if name in replacements else flatten_seed(name, replacements)

    return AUTOESCAPE.sub("", INCLUDE.sub(include, source)).strip() + "\n"
