"""What the trust checks covered in this run, printed at its end (pytest's terminal summary), so
the figures come from the run itself: requests of the authorisation matrix, hypothesis examples,
audit rows written, pages axe checked."""

from __future__ import annotations

from collections import Counter

FIGURES: Counter[str] = Counter()

# The order and wording of the summary.
LABELS = {
    "matrix_endpoints": "authorisation matrix: endpoints",
    "matrix_requests": "authorisation matrix: requests (route x user x record)",
    "matrix_refused": "authorisation matrix: requests that must be refused",
    "matrix_allowed": "authorisation matrix: allowed GETs that must not be",
    "two_factor_wall_requests": (
        "staff without two-step verification: requests, each sent to set it up or refused"
    ),
    "hostile_forms": "hostile input: forms",
    "hypothesis_examples": "hypothesis examples",
    "audit_rows": "audit rows written",
    "audit_reads": "audit rows: reads by staff",
    "axe_pages": "pages checked by axe (every role, nl and en)",
    "axe_violations": "axe violations",
}


def add(name: str, amount: int = 1) -> None:
    FIGURES[name] += amount


def summary_lines() -> list[str]:
    return [f"{LABELS[name]}: {FIGURES[name]:,}" for name in LABELS if name in FIGURES]
