"""Redaction: personal data out of the transcripts before anything is stored or rendered.

``redact_transcripts`` returns the transcripts with e-mail addresses, phone
numbers, web addresses and personal names in every turn replaced by ``[email]``,
``[phone]``, ``[url]`` and ``[name]``, and, with ``pseudonymize``, every speaker
shown as "Participant 1", "Interviewer 1", ... The Turn/Piece contract holds on
the result: each piece is redacted on its own, so ``Turn.text`` is still the
pieces joined with ``"\\n"``, offsets are recomputed, and lines and times are
the source's. A piece is then the source line's words with tokens in place of
what was removed, no longer a verbatim substring of it.

What is caught:

- E-mail addresses (``jane.doe+crm@acme.co.uk``), and spelled-out ones with
  ``(at)``/``[at]``/`` at `` and ``(dot)``/``[dot]``/`` dot `` before a listed
  top-level domain (``jane at acme dot com``).
- Web addresses with a scheme or ``www.`` (any domain); bare domains under the
  top-level domains of ``data/redact.yaml`` (``calendly.com/jane``), except the
  tool names of ``data/tools.yaml`` (``outreach.io``).
- Phone numbers of 7 to 15 digits: with ``+`` or ``00`` (``+47 912 34 567``,
  ``0044 20 7946 0958``), with an area code in brackets (``(415) 555-0132``), and
  any grouping of 10 or more digits (``415.555.0132``, ``030 1234 5678``); any
  7 to 15 digits, ranges included, when a phone word (call, phone, mobile, cell,
  number, ...) stands in the 30 characters before (``call me on 555-1234``).
- Every name of the round's people, from the metadata and the speaker labels
  (``Participant.name`` and ``.speaker`` of every transcript, so a name is caught
  in any file of the round): the full name in any case (``dana whitfield``), and
  each capitalized part of it (``Dana``, ``Whitfield``) as written, capitalized
  or in capitals, also before ``'s``. Role labels (Interviewer, User, Speaker 2,
  Sales Lead) are not names; titles (Dr, Ms) and role words are not hidden.
- Other people's names that spaCy's named-entity recognizer tags PERSON, when
  the ``nlp`` given has an entity component (``ner``, or an ``entity_ruler``);
  kept are the role words and tools of the data files, the companies in the
  round's metadata, and ``redact_allow``, when the model takes them for a
  person, and entities with a digit or no capital letter (``Q3``, ``intro``).
- The same patterns and names in the metadata's strings (front matter, headers);
  with ``pseudonymize``, ``Participant.name``, ``.speaker`` and ``.id``, and
  ``Turn.speaker``.

What is not caught:

- Names the model misses or mislabels (it misses lowercase and rare names and
  sometimes calls a first name a nationality), every unlisted name when ``nlp``
  has no entity component, a listed name's parts in lowercase (``dana``) or
  misspelled, and the parts that are role words (a Ms. Head stays "Head").
- Numbers in words (five five five ...); phone numbers without a phone word
  before them of 7 to 9 digits, or grouped like thousands (``123 456 789``),
  years (``2019 2020 2021``), dates or a range (``1001-5000``); e-mail addresses
  spelled any other way (``jane at acme``); bare domains under other top-level
  domains (``acme.me``, ``acme.no``; with ``www.`` or ``https://`` they are caught).
- Other personal data: postal addresses, birthdays, account, card and ID numbers,
  a title and an employer that point to one person, a story that identifies
  someone without naming them.
- File names and paths (``Transcript.source``), companies and titles
  (``Participant.company``, ``.title``); without ``pseudonymize``, the speaker
  labels and participant names and ids.

Over-redaction is the safer error: a listed first name that is also a word
("Will", "Grace") is replaced wherever it is capitalized.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from . import errors
from .models import Transcript, Turn
from .personal_data import (
    WORD,
    Span,
    entity_spans,
    folded,
    known_names,
    load_rules,
    merged,
    pattern_spans,
    titled_name_spans,
)
from .pseudonyms import pseudonymize_transcripts

if TYPE_CHECKING:
    from spacy.language import Language

TOKENS = {"email": "[email]", "url": "[url]", "phone": "[phone]", "name": "[name]"}
# Components the NER-only load leaves out.
NOT_FOR_NER = ("tagger", "parser", "lemmatizer", "attribute_ruler", "morphologizer", "senter")


class RedactSettings(Protocol):
    """What redaction reads from the settings (``Settings`` has both)."""

    @property
    def pseudonymize(self) -> bool: ...

    @property
    def redact_allow(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class RedactOptions:
    """Options of ``redact_transcripts`` when no ``Settings`` is at hand."""

    pseudonymize: bool = False
    redact_allow: tuple[str, ...] = ()


def replace_spans(text: str, spans: Sequence[Span], offset: int = 0) -> str:
    """``text`` (which starts at ``offset`` of the spans' text) with each span's part
    replaced by its token; ``spans`` merged and sorted."""
    out, position = [], 0
    for span in spans:
        start, end = max(span.start - offset, 0), min(span.end - offset, len(text))
        if start >= end or end <= position:
            continue
        out += [text[position:start], TOKENS[span.kind]]
        position = end
    out.append(text[position:])
    return "".join(out)


def redact_turn(turn: Turn, spans: Sequence[Span]) -> Turn:
    """The turn with ``spans`` (offsets in ``turn.text``) replaced piece by piece."""
    texts = [
        replace_spans(turn.piece_text(k), spans, piece.offset)
        for k, piece in enumerate(turn.pieces)
    ]
    pieces, offset = [], 0
    for piece, text in zip(turn.pieces, texts, strict=True):
        pieces.append(dataclasses.replace(piece, offset=offset))
        offset += len(text) + 1
    return dataclasses.replace(turn, text="\n".join(texts), pieces=tuple(pieces))


def _redact_value(value: Any, redact: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redact_value(v, redact) for v in value]
    if isinstance(value, dict):
        return {k: _redact_value(v, redact) for k, v in value.items()}
    return value


# --- the one call -----------------------------------------------------------------------


def redact_transcripts(
    transcripts: Sequence[Transcript],
    nlp: Language | None = None,
    options: RedactSettings | None = None,
) -> tuple[Transcript, ...]:
    """The transcripts with personal data in turns and metadata replaced by tokens.

    Args:
        transcripts: the round, as ingest read it (names are gathered from all of it).
        nlp: a spaCy pipeline with an entity recognizer for names nobody listed, or
            None (or one without entities) for the patterns and known names alone.
        options: ``pseudonymize`` (speakers and participant names and ids become
            "Participant 1", "Interviewer 1", ...) and ``redact_allow`` (words never
            taken for a name); ``Settings`` or ``RedactOptions``.
    """
    options = options or RedactOptions()
    rules = load_rules()
    people = [p for t in transcripts for p in t.participants]
    allow = tuple(options.redact_allow)
    names = known_names(people, rules, allow)
    companies = [c for p in people if p.company for c in (p.company, *WORD.findall(p.company))]
    allowed = rules.allow | rules.tools | rules.speaker_roles | rules.honorifics
    allowed |= folded([*companies, *allow])

    role_words = taxonomy_words()

    def spans_of(text: str) -> list[Span]:
        found = pattern_spans(text, rules) + titled_name_spans(text, allowed, role_words)
        if names is not None:
            found += [Span(m.start(), m.end(), "name") for m in names.finditer(text)]
        return found

    def redact(text: str) -> str:
        return replace_spans(text, merged(spans_of(text)))

    turns = [turn for t in transcripts for turn in t.turns]
    entities = iter(entity_spans([turn.text for turn in turns], nlp, allowed))
    out = [
        dataclasses.replace(
            transcript,
            turns=tuple(
                redact_turn(turn, merged([*spans_of(turn.text), *next(entities)]))
                for turn in transcript.turns
            ),
            metadata=_redact_value(transcript.metadata, redact),
        )
        for transcript in transcripts
    ]
    if options.pseudonymize:
        return pseudonymize_transcripts(out)
    return tuple(out)


class PrivacySettings(RedactSettings, Protocol):
    """What ``apply_privacy`` reads from the settings."""

    @property
    def redact(self) -> bool: ...

    @property
    def spacy_model(self) -> str: ...

    @property
    def spacy_fallback_models(self) -> Sequence[str]: ...


def taxonomy_words() -> frozenset[str]:
    """Every word of the role taxonomy's titles and keywords ("Sales", "Operations"),
    which follow a title without being a name."""
    from .roles import Taxonomy

    taxonomy = Taxonomy.load()
    phrases = [*taxonomy.keywords, *taxonomy.titles]
    common = {"of", "and", "the", "at", "for", "in", "on", "we", "i", "our", "my", "so"}
    return frozenset({w for p in phrases for w in p.split()} | common)


def apply_privacy(
    transcripts: Sequence[Transcript], settings: PrivacySettings, nlp: Language | None = None
) -> tuple[Transcript, ...]:
    """The one call the pipeline makes right after ingest: with ``redact``, the
    transcripts redacted (``nlp``, else the settings' spaCy model with its entity
    recognizer) and pseudonymized, since speaker labels and participant names
    reach every output; with ``pseudonymize`` alone, only the speakers renamed;
    else the transcripts as they are.

    Raises:
        errors.ModelMissingError: ``redact`` is on, no ``nlp`` was given and the
            settings' spaCy model is not installed.
    """
    if settings.redact:
        if nlp is None:
            nlp = load_ner(settings.spacy_model, tuple(settings.spacy_fallback_models))
        options = RedactOptions(pseudonymize=True, redact_allow=tuple(settings.redact_allow))
        return redact_transcripts(transcripts, nlp, options)
    if settings.pseudonymize:
        return pseudonymize_transcripts(transcripts)
    return tuple(transcripts)


@functools.lru_cache(maxsize=2)
def load_ner(name: str, fallbacks: tuple[str, ...] = ()) -> Language:
    """The named-entity part of the first installed pipeline of ``name`` and its
    fallbacks (the pipeline the extractors load leaves ``ner`` out).

    Raises:
        errors.ModelMissingError: none of them is installed.
    """
    import spacy

    for candidate in (name, *fallbacks):
        try:
            return spacy.load(candidate, exclude=list(NOT_FOR_NER))
        except OSError:
            continue
    raise errors.ModelMissingError(errors.SPACY_MISSING.format(name=name))
