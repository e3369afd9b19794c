"""The kinds of letter, registered by the apps that send them (complaints registers its six in its AppConfig):
correspondence stores, renders and sends letters but knows nothing of what a complaint is."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LetterKind:
    kind: str
    title: str
    seed: str  # the template file the first version of the administrators' template is taken from
    # Parts of the seed that are replaced while it is flattened (an include -> its replacement text).
    seed_replacements: dict = field(default_factory=dict)
    variables: tuple = ()  # (name, what it is) pairs, listed on the template's edit page
    # sample(reference) -> (case, context) for a preview: the case of that reference, or a recent one; None if none.
    sample: Callable | None = None


_kinds: dict[str, LetterKind] = {}


def register(letter_kind):
    _kinds[letter_kind.kind] = letter_kind
    return letter_kind


def get(kind):
    return _kinds.get(kind)


def all_kinds():
    return list(_kinds.values())
