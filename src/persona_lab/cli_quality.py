"""The extraction-quality commands: eval and train.

Registered on the app of ``cli`` (which imports this module last); models and
scikit-learn are imported inside the commands so `persona-lab --help` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .cli import ConfigOpt, _err, _handled, _progress, _settings, app

if TYPE_CHECKING:
    from .settings import Settings

GoldArg = Annotated[
    list[Path], typer.Argument(help="Gold sets: JSON lines of labeled sentences or references.")
]
InterviewsOpt = Annotated[
    Path | None,
    typer.Option("--interviews", help="Folder the references of a gold set point into."),
]


LinearOpt = Annotated[
    bool,
    typer.Option(
        "--linear",
        help="A logistic regression over frozen sentence embeddings (seconds to train) "
        "instead of fine-tuning the embedder's top layers (minutes; better F1).",
    ),
]


def _featured(
    gold: list[Path], interviews: Path | None, settings: Settings, tuned: bool, stage: Any
) -> Any:
    from .embed import load_embedder
    from .evaluate import load_examples
    from .nlp import load_pipeline
    from .train import featurize

    examples = [e for path in gold for e in load_examples(path, interviews)]
    if not examples:
        shown = ", ".join(str(g) for g in gold)
        _err(f"{shown}: no examples to use (are the referenced transcripts present?)")
        raise typer.Exit(1)
    nlp = load_pipeline(settings.spacy_model, settings.spacy_fallback_models)
    embedder = load_embedder(settings.embedding_model, batch_size=settings.embedding_batch_size)
    return featurize(examples, nlp, embedder, settings, tuned=tuned, stage=stage), embedder


def _figures(
    featured: Any, settings: Settings, embedder: Any, c: float, stage: Any
) -> dict[str, Any]:
    from .train import (
        cross_validated,
        cross_validated_tuned,
        predictions,
        reports_by_source,
        rule_predictions,
    )

    rules = reports_by_source(featured, rule_predictions(featured, settings), settings.kinds)
    if featured.states:
        probabilities = cross_validated_tuned(featured, settings, embedder, c=c, stage=stage)
    else:
        probabilities = cross_validated(featured, settings, embedder.name, c=c)
    learned = reports_by_source(featured, predictions(probabilities, settings), settings.kinds)
    return {"rules": rules, "classifier (5-fold, by call)": learned}


def _print_figures(figures: dict[str, Any], as_json: bool) -> None:
    from .evaluate import format_report

    if as_json:
        data = {m: {s: r.to_dict() for s, r in by.items()} for m, by in figures.items()}
        typer.echo(json.dumps(data, indent=2))
        return
    for scorer, by_source in figures.items():
        for source, result in by_source.items():
            typer.echo(f"== {source}: {scorer}\n{format_report(result)}\n")


@app.command("eval")
def eval_command(
    gold: GoldArg,
    interviews: InterviewsOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    c: Annotated[
        float, typer.Option("--c", help="Inverse regularization of the linear classifier.")
    ] = 0.1,
    linear: LinearOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Precision, recall and F1 per kind, and a confusion table, for the cue patterns alone
    and for the classifier on sentences from calls it was not trained on (5-fold by call).

    Example: `persona-lab eval src/persona_lab/data/gold/gold.jsonl`
    """
    with _handled(), _progress() as stage:
        settings = _settings(config)
        featured, embedder = _featured(gold, interviews, settings, not linear, stage)
        figures = _figures(featured, settings, embedder, c, stage)
    _print_figures(figures, as_json)


@app.command("train")
def train_command(
    gold: GoldArg,
    interviews: InterviewsOpt = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the classifier (.npz).")
    ] = Path("classifier.npz"),
    c: Annotated[
        float, typer.Option("--c", help="Inverse regularization of the linear classifier.")
    ] = 0.1,
    linear: LinearOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Train the extraction classifier on labeled sentences, print its cross-validated
    figures, and write it; use it with `classifier = "PATH"` in a settings file.

    Example: `persona-lab train src/persona_lab/data/gold/gold.jsonl --out my-classifier.npz`
    """
    with _handled(), _progress() as stage:
        settings = _settings(config)
        featured, embedder = _featured(gold, interviews, settings, not linear, stage)
        figures = _figures(featured, settings, embedder, c, stage)
        _print_figures(figures, as_json=False)
        from .train import train, train_tuned

        counts: dict[str, int] = {}
        for example in featured.examples:
            counts[example.label] = counts.get(example.label, 0) + 1
        metadata = {
            "method": "linear" if linear else "tuned",
            "c": c,
            "examples": counts,
            "gold": sorted({e.source for e in featured.examples}),
            "cross_validated_f1": {
                source: {k: round(r.f1[k], 3) for k in settings.kinds}
                for source, r in figures["classifier (5-fold, by call)"].items()
            },
        }
        if linear:
            model = train(featured, settings, embedder.name, c=c, metadata=metadata)
        else:
            model = train_tuned(featured, settings, embedder, c=c, metadata=metadata, stage=stage)
        model.save(out)
        typer.echo(f"Wrote {out} ({len(featured.examples)} examples)")
