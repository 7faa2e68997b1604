"""A label accepted from its first line while its wrapped lines went into the answer.

In a borderless PDF with a tight gutter a label's wrapped lines stand on the answer's baselines with
almost no gap, so the reader joins them to the answer ("Remarques finales, défis (y" is the label;
"compris les problèmes rencontrés parcours gagnerait … lors de la mise en œuvre)," and "enseignements
tirés" the answer). When the label as found is a cut-short start of a longer catalogue wording, the rest
of that wording is looked for at the start and the end of the answer's first lines, in order:

    label cell:   Remarques finales, défis (y        answer: Les listes d'attente … défi. Le
    next line:    compris les problèmes rencontrés | parcours gagnerait … d'asile.      (one block)
                  lors de la mise en œuvre),       |
    next line:    enseignements tirés

Found whole, it is the label's rest: moved back to the label, with certainty (what is left of a line it
shared goes on the answer's line before). Found in part, it cannot be told from the answer: flagged.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from extract.catalogue import Catalogue
from normalise import fold, fold_label

if TYPE_CHECKING:
    from extract.assemble import FieldDraft

MIN_RUN_WORDS = 2  # a single word ('de') at a line's start is too common in answers to be the label's
MIN_DOUBT_WORDS = 3  # a run this long of the label's missing words inside the answer asks for a look
MAX_LINES = 6  # a label wraps over a few lines, never over the whole answer


def settle_label_rest(draft: FieldDraft, catalogue: Catalogue) -> None:
    missing = _missing_words(draft, catalogue)
    if missing is None or not draft.parts:
        return
    rest, before = missing  # the words missing, and how many of the label's words come before them
    lines = [(i, text.split()) for i, part in enumerate(draft.parts) for text in part.text.split("\n")]
    lines = [(i, tokens) for i, tokens in lines if tokens]
    taken: list[str] = []
    kept: list[tuple[int, int]] = []  # per line read so far: the token span left to the answer
    for tokens in (tokens for _, tokens in lines[:MAX_LINES]):
        start = _run(tokens, rest[len(taken) :])
        end = len(tokens) - (_tail_run(tokens[start:], rest[len(taken) + len(_words(tokens[:start])) :]))
        words = _words(tokens[:start] + tokens[end:])
        finishes = len(taken) + len(words) == len(rest)
        if not words and not taken and not kept:
            kept.append((0, len(tokens)))  # the answer's line beside the label's first one: one line only,
            continue  # more would mean the lines are out of order, and the answer could not be mended
        if not words or (len(words) < MIN_RUN_WORDS and start < end and not finishes):
            break
        taken += words
        kept.append((start, end))
        if finishes:
            _move_to_label(draft, lines, kept, before)
            return
    if _holds_run(draft, rest):
        draft.label_rest_in_answer = True


def _missing_words(draft: FieldDraft, catalogue: Catalogue) -> tuple[list[str], int] | None:
    """The words a catalogue wording of the field has and the label as found lacks (at least two, in one
    stretch: the label found is the wording's start, its end, or both), and how many words come before
    them; None when the label is a wording of its own or no wording fits."""
    found = fold_label(draft.label.found).split()
    if not found:
        return None
    best: tuple[list[str], int] | None = None
    for variant in catalogue.variants:
        if variant.key != draft.key:
            continue
        words = variant.folded.split()
        if words == found:
            return None  # the respondent wrote a short wording of the form: nothing is missing
        start = next((i for i, (a, b) in enumerate(zip(found, words, strict=False)) if a != b), len(found))
        end = len(words) - (len(found) - start)
        longer = best is None or end - start > len(best[0])
        if end - start >= MIN_RUN_WORDS and words[end:] == found[start:] and longer:
            best = (words[start:end], start)
    return best


def _words(tokens: list[str]) -> list[str]:
    return [word for token in tokens for word in fold(token).split()]


def _run(tokens: list[str], rest: list[str]) -> int:
    """How many leading tokens spell the next words of `rest` (punctuation-only tokens ride along)."""
    count, used = 0, 0
    for token in tokens:
        words = fold(token).split()
        if rest[used : used + len(words)] != words:
            break
        count, used = count + 1, used + len(words)
    return count


def _tail_run(tokens: list[str], rest: list[str]) -> int:
    """How many trailing tokens spell the words right after the ones taken: a label line printed below
    on the same block ('… d'asile. lors de la mise en œuvre),')."""
    for size in range(len(tokens) - 1, 0, -1):
        words = _words(tokens[-size:])
        if len(words) >= MIN_RUN_WORDS and words == rest[: len(words)]:
            return size
    return 0


def _move_to_label(
    draft: FieldDraft, lines: list[tuple[int, list[str]]], kept: list[tuple[int, int]], before: int
) -> None:
    """The label's rest leaves the answer for the label. A line it shared keeps its answer words, which
    go on with the answer's line before (the label's line stood beside it, inside the paragraph)."""
    label_words: list[str] = []
    answers: dict[int, list[str]] = {}
    joins: set[int] = set()  # parts whose first line goes on from the previous part's last
    for index, (part, tokens) in enumerate(lines):
        start, end = kept[index] if index < len(kept) else (0, len(tokens))
        label_words += tokens[:start] + tokens[end:]
        if start < end:
            if start > 0 and part not in answers:
                joins.add(part)
            answers.setdefault(part, []).append(" ".join(tokens[start:end]))
    parts = []
    for index, piece in enumerate(draft.parts):
        if index not in answers and any(part == index for part, _ in lines):
            draft.label_blocks += piece.blocks  # all of it was the label's
            continue
        if index not in answers:
            parts.append(piece)
            continue
        continues = piece.continues or (index in joins and bool(parts))
        parts.append(replace(piece, text="\n".join(answers[index]), continues=continues))
    draft.parts = parts
    found = draft.label.found.split()
    cut = next((i for i in range(len(found) + 1) if len(_words(found[:i])) >= before), len(found))
    draft.label = replace(draft.label, found=" ".join([*found[:cut], *label_words, *found[cut:]]))


def _holds_run(draft: FieldDraft, rest: list[str]) -> bool:
    """Does one of the answer's first lines start or end with MIN_DOUBT_WORDS of the label's missing words
    in a row, where a label line printed beside the answer would stand (inside a sentence they are the
    respondent's own words: 'les problèmes rencontrés lors de la mise en œuvre')?"""
    grams = {tuple(rest[i : i + MIN_DOUBT_WORDS]) for i in range(len(rest) - MIN_DOUBT_WORDS + 1)}
    lines = [line for part in draft.parts for line in part.text.split("\n") if line.strip()][:MAX_LINES]
    for line in lines:
        words = _words(line.split())
        if tuple(words[:MIN_DOUBT_WORDS]) in grams or tuple(words[-MIN_DOUBT_WORDS:]) in grams:
            return True
    return False
