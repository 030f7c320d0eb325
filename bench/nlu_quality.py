"""Assistant quality on the held-out Dutch sets: train on chatbot/data, parse every message.

Run with the Rasa virtualenv (Python 3.10): `.venv-rasa/bin/python bench/nlu_quality.py`.
Prints, per held-out set and for both: intent accuracy, macro F1, the confusion of the worst 5
intents, the share that falls back and escalation precision/recall; and the training time, the
model size and the peak memory of training and of parsing with the model loaded. Retrieval
intents count as their full name (`faq/no_riskpolis`): right intent, right answer.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before TensorFlow is imported
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
CHATBOT = ROOT / "chatbot"
# Set 1 was the first held-out set; set 2 was written later, blind to the data and to set 1.
HELDOUT_SETS = {
    "set 1": CHATBOT / "tests" / "heldout_nl.yml",
    "set 2": CHATBOT / "tests" / "heldout2_nl.yml",
}
ESCALATION = {"request_human", "complain", "crisis", "contract_not_renewed", "conflict_at_work"}
EXPLICIT = {"request_human", "complain"}  # the user asks for a person or to complain
TARGET_ACCURACY = 0.93


def heldout(path: Path) -> list[tuple[str, str]]:
    """(text, gold label) pairs; entity annotations `[55](percentage)` become plain text."""
    annotation = re.compile(r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}")
    pairs = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                text = annotation.sub(lambda m: m.group(1) or m.group(2), line[2:].strip())
                pairs.append((text, block["intent"]))
    return pairs


def train(out: Path) -> tuple[Path, float]:
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        # an empty cache: a cached earlier training would make the time (and memory) meaningless
        "RASA_CACHE_DIRECTORY": str(out / "cache"),
    }
    start = time.perf_counter()
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "train",
            "--domain",
            "domain",
            "--config",
            "config.yml",
            "--data",
            "data",
            "--out",
            str(out),
            "--fixed-model-name",
            "bench",
            "--quiet",
        ],
        cwd=CHATBOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n", file=sys.stderr)
        raise SystemExit("rasa train failed")
    return out / "bench.tar.gz", time.perf_counter() - start


def peak_mb(who: int) -> float:
    """Peak resident memory (Linux reports KB) of this process or of its largest child."""
    return resource.getrusage(who).ru_maxrss / 1024


def label_of(parsed: dict) -> str:
    intent = (parsed.get("intent") or {}).get("name") or "nlu_fallback"
    if intent == "faq":
        response = ((parsed.get("response_selector") or {}).get("faq") or {}).get("response") or {}
        return response.get("intent_response_key") or "faq"
    return intent


async def predict(model: Path, texts: list[str]) -> list[str]:
    sys.path.insert(0, str(CHATBOT))  # the model's custom components (`components.*`)
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings

    configure_logging_and_warnings(logging.ERROR)
    try:  # Rasa 3.6 logs every parse through structlog at debug level
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.ERROR)
    except ImportError:
        pass
    agent = Agent.load(str(model))
    return [label_of(await agent.parse_message(text)) for text in texts]


def report(pairs: list[tuple[str, str]], predicted: list[str]) -> dict:
    gold = [label for _, label in pairs]
    labels = sorted(set(gold))
    both = list(zip(gold, predicted, strict=True))
    right = sum(g == p for g, p in both)
    f1 = {}
    confusion: dict[str, Counter] = defaultdict(Counter)
    for g, p in both:
        if g != p:
            confusion[g][p] += 1
    for label in labels:
        tp = sum(g == label and p == label for g, p in both)
        fp = sum(g != label and p == label for g, p in both)
        fn = sum(g == label and p != label for g, p in both)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    escalated_gold = [g in ESCALATION for g in gold]
    escalated_pred = [p in ESCALATION for p in predicted]
    tp = sum(g and p for g, p in zip(escalated_gold, escalated_pred, strict=True))
    explicit = [(g, p) for g, p in both if g in EXPLICIT]
    return {
        "n": len(gold),
        "intents": len(labels),
        "accuracy": right / len(gold),
        "macro_f1": sum(f1.values()) / len(f1),
        "f1": f1,
        "confusion": confusion,
        "fallback_share": sum(p == "nlu_fallback" for p in predicted) / len(predicted),
        "escalation_precision": tp / sum(escalated_pred) if sum(escalated_pred) else 0.0,
        "escalation_recall": tp / sum(escalated_gold) if sum(escalated_gold) else 0.0,
        "explicit_recall": (
            sum(p in ESCALATION for _, p in explicit) / len(explicit) if explicit else 0.0
        ),
        "explicit_n": len(explicit),
        "escalation_n": sum(escalated_gold),
    }


def normalised(text: str) -> str:
    return re.sub(r"[^\w ]", "", text.casefold()).strip()


def training_texts() -> set[str]:
    """Every training example, normalised, to see which held-out messages occur in the data."""
    from rasa.shared.nlu.training_data.loading import load_data

    return {
        normalised(message.get("text"))
        for path in sorted((CHATBOT / "data").glob("*.yml"))
        if "nlu:" in path.read_text(encoding="utf-8")
        for message in load_data(str(path)).intent_examples
    }


def print_report(title: str, r: dict, unseen: dict | None = None) -> None:
    print(f"{title}: {r['n']} held-out Dutch messages over {r['intents']} intents")
    print(f"  intent accuracy         : {r['accuracy']:.3f} (target >= {TARGET_ACCURACY})")
    if unseen is not None:
        print(
            f"  ... on the {unseen['n']} not literally in the training data"
            f" (short ones like 'hoi' are): {unseen['accuracy']:.3f}"
        )
    print(f"  macro F1                : {r['macro_f1']:.3f}")
    print(f"  fallback share          : {r['fallback_share']:.3f}")
    print(
        f"  escalation precision    : {r['escalation_precision']:.3f}, recall "
        f"{r['escalation_recall']:.3f} (n={r['escalation_n']})"
    )
    print(f"  explicit request recall : {r['explicit_recall']:.3f} (n={r['explicit_n']})")
    print("  worst 5 intents (F1, then what they were taken for):")
    for label in sorted(r["f1"], key=lambda name: (r["f1"][name], name))[:5]:
        taken = ", ".join(f"{p} x{n}" for p, n in r["confusion"][label].most_common(4)) or "-"
        print(f"    {label:30s} F1 {r['f1'][label]:.2f}  <- {taken}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="use this model instead of training one")
    parser.add_argument("--keep-model", type=Path, help="copy the trained model here")
    parser.add_argument(
        "--errors",
        choices=sorted(HELDOUT_SETS),
        help="also list every wrong prediction of this set",
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    sets = {name: heldout(path) for name, path in HELDOUT_SETS.items()}
    with tempfile.TemporaryDirectory() as tmp:
        if args.model:
            model, seconds = args.model, None
        else:
            model, seconds = train(Path(tmp))
        size = model.stat().st_size
        texts = [text for pairs in sets.values() for text, _ in pairs]
        predictions = iter(asyncio.run(predict(model, texts)))
        predicted = {name: [next(predictions) for _ in pairs] for name, pairs in sets.items()}
        if args.keep_model and not args.model:
            args.keep_model.write_bytes(model.read_bytes())
    if seconds is not None:
        print(f"training time : {seconds:.0f} s on {os.cpu_count()} cores")
        print(f"training peak memory: {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB (rasa train)")
    print(f"model size    : {size / 1e6:.1f} MB")
    print(f"memory with the model loaded: {peak_mb(resource.RUSAGE_SELF):.0f} MB (peak, parsing)")
    trained = training_texts()

    def unseen(pairs: list[tuple[str, str]], labels: list[str]) -> dict:
        kept = [
            (pair, label)
            for pair, label in zip(pairs, labels, strict=True)
            if normalised(pair[0]) not in trained
        ]
        return report([pair for pair, _ in kept], [label for _, label in kept])

    for name, pairs in sets.items():
        print_report(
            f"{name} ({HELDOUT_SETS[name].name})",
            report(pairs, predicted[name]),
            unseen(pairs, predicted[name]),
        )
    every_pair = [pair for pairs in sets.values() for pair in pairs]
    every_prediction = [label for name in sets for label in predicted[name]]
    print_report(
        "both sets",
        report(every_pair, every_prediction),
        unseen(every_pair, every_prediction),
    )
    if args.errors:
        print(f"wrong predictions of {args.errors} (gold -> predicted: message):")
        for (text, gold), got in zip(sets[args.errors], predicted[args.errors], strict=True):
            if gold != got:
                print(f"  {gold} -> {got}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
