"""The anchor of the scale benchmark: BERTopic on the sentences persona_lab considered.

BERTopic (sentence embeddings, UMAP, HDBSCAN, c-TF-IDF topic words) is what a team
would usually reach for to find themes in interview text, so persona_lab's wall time is
read against it: the same MiniLM model (loaded offline from the path persona_lab uses),
the same sentences (the file bench/scale_measure.py writes with ``--sentences``), on the
same machine, in a process of its own for its own peak memory. UMAP and HDBSCAN are
BERTopic's defaults, given explicitly with UMAP's ``random_state`` fixed so the number
of topics is repeatable (that makes UMAP single-threaded, as BERTopic's docs note).

    python bench/bertopic_anchor.py SENTENCES.json --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from time import perf_counter
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from persona_lab.embed import resolve_model_path
from persona_lab.settings import default_settings

SEED = 42


def models() -> tuple[Any, Any]:
    """BERTopic's default UMAP and HDBSCAN, with UMAP seeded."""
    from hdbscan import HDBSCAN
    from umap import UMAP

    umap_model = UMAP(
        n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=SEED
    )
    hdbscan_model = HDBSCAN(
        min_cluster_size=10,
        metric="euclidean",
        cluster_selection_method="eom",
        prediction_data=True,
    )
    return umap_model, hdbscan_model


def load(model_name: str) -> tuple[Any, Any, dict[str, float]]:
    """Imports BERTopic (UMAP compiles with numba on import and first use) and loads the
    sentence-transformers model; both timed, apart from the work itself."""
    start = perf_counter()
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    imported = perf_counter()
    model = SentenceTransformer(resolve_model_path(model_name), device="cpu")
    loaded = perf_counter()
    seconds = {"import": imported - start, "model": loaded - imported, "total": loaded - start}
    return BERTopic, model, {k: round(v, 3) for k, v in seconds.items()}


def topics_found(topic_model: Any, topics: list[int]) -> dict[str, Any]:
    """How many topics, how many sentences left as outliers, and the largest topics' words."""
    info = topic_model.get_topic_info()
    found = info[info.Topic != -1]
    largest = [
        {"size": int(row.Count), "words": [w for w, _ in topic_model.get_topic(row.Topic)[:5]]}
        for row in found.head(5).itertuples()
    ]
    return {
        "topics": len(found),
        "outliers": sum(1 for t in topics if t == -1),
        "largest": largest,
    }


def anchor(sentences: list[str], batch_size: int) -> dict[str, Any]:
    """Embeds the sentences, then fits BERTopic on them; each part timed."""
    settings = default_settings()
    bertopic_class, model, load_s = load(settings.embedding_model)
    start = perf_counter()
    embeddings = model.encode(sentences, batch_size=batch_size, show_progress_bar=False)
    embedded = perf_counter()
    umap_model, hdbscan_model = models()
    topic_model = bertopic_class(
        embedding_model=model, umap_model=umap_model, hdbscan_model=hdbscan_model
    )
    topics, _ = topic_model.fit_transform(sentences, embeddings)
    fitted = perf_counter()
    return {
        "installed": True,
        "version": metadata.version("bertopic"),
        "sentences": len(sentences),
        "load_s": load_s,
        "embed_s": round(embedded - start, 3),
        "fit_s": round(fitted - embedded, 3),
        "seconds": round(fitted - start, 3),
        "batch_size": batch_size,
        "umap_random_state": SEED,
        **topics_found(topic_model, list(topics)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sentences", type=Path)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--batch-size", type=int, default=default_settings().embedding_batch_size)
    args = parser.parse_args()
    if find_spec("bertopic") is None:
        report: dict[str, Any] = {"installed": False, "message": "bertopic is not installed"}
    else:
        given = json.loads(args.sentences.read_text("utf-8"))
        report = anchor(given["sentences"], args.batch_size)
        report["sentence_source"] = given["source"]
        report["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    args.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(report.get("message") or f"BERTopic: {report['topics']} topics", file=sys.stderr)


if __name__ == "__main__":
    main()
