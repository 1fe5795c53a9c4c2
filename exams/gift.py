"""GIFT import, compatible with Moodle's ``qformat_gift``.

Supported: ``::name::``, ``//`` comment lines, ``[moodle]``/``[markdown]``/``[html]``/
``[plain]`` text formats, escapes ``\\~ \\= \\# \\{ \\} \\: \\\\`` and ``\\n``, multi-line questions
separated by blank lines, ``$CATEGORY: a/b`` lines, per-answer feedback ``#``, general
feedback ``####``, weights ``%50%``/``%-25%``, the missing-word format (answer block inside
the text) and every question type of :mod:`exams.question`.

Deliberately stricter than Moodle, because each of these is almost always a typing mistake:
an answer block whose answers do not start with ``=``/``~``/``#``/``T``/``F`` ("unknown type"),
a stray ``}``, and more than one answer block in a question.

:func:`parse_gift_bytes` also refuses a whole file that is not GIFT (:class:`GiftFileError`):
binary data (a PDF, an image, a Word document), XML/HTML markup (an SVG "imports" as one
description question otherwise), and a file without a single question that has an answer
block (empty, only comments, or plain prose): Moodle would accept some of these, but here they
would only create an empty bank or descriptions that no exam ever draws.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from .errors import GiftEncodingError, GiftFileError
from .question import (
    BLANK,
    FALSE_ID,
    QUESTION_TYPES,
    TEXT_FORMATS,
    TRUE_ID,
    Choice,
    MatchPair,
    NumericAnswer,
    Question,
)

_ESCAPES: Final[dict[str, str]] = {
    "\\": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003",
    "{": "\ue004", "}": "\ue005", ":": "\ue006", "n": "\ue007",
}
_RESTORE: Final[dict[int, str]] = {
    ord(placeholder): ("\n" if char == "n" else char) for char, placeholder in _ESCAPES.items()
}
_ESCAPE_RE: Final = re.compile(r"\\(.)")
_NUMBER_RE: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FORMAT_RE: Final = re.compile(r"\[([A-Za-z]+)\]")
_TRUE_FALSE: Final[dict[str, bool]] = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CATEGORY_PREFIXES: Final = re.compile(r"^(?:\$(?:course|system|module|cat\d*)\$/)?(?:top/)?")
_WEIGHT_TOLERANCE: Final = 0.05

_SIGNATURES: Final[tuple[tuple[bytes, str, str], ...]] = (
    (b"%PDF-", "pdf", "a PDF document"),
    (b"PK\x03\x04", "zip", "a ZIP archive (a .docx or .xlsx file is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "an old Word or Excel document (.doc, .xls)"),
    (b"{\\rtf", "rtf", "an RTF document"),
    (b"\x89PNG", "png", "a PNG image"),
    (b"GIF87a", "gif", "a GIF image"),
    (b"GIF89a", "gif", "a GIF image"),
    (b"\xff\xd8\xff", "jpeg", "a JPEG image"),
)
"""``(leading bytes, kind, English name)``: the ``kind`` is the ``binary_file`` error's param."""
_MARKUP_RE: Final = re.compile(r"<(?:\?xml|!doctype|!--|html|svg|head|body)\b", re.IGNORECASE)
_TAG_RE: Final = re.compile(r"<[!?]?[A-Za-z][\w:-]*|<!--")
EXPECTED_GIFT: Final = (
    "a GIFT file is plain text: each question is its text followed by an answer block in "
    "braces, such as 'How much is 2+2? {=4 ~5}', and questions are separated by an empty line"
)

ACCEPTED_BLOCKS: Final = (
    "start right answers with '=' and wrong ones with '~', write '#' first for a numerical "
    "answer, T or F for true/false, '=left -> right' pairs for matching, or leave the braces "
    "empty for an essay"
)


@dataclass(frozen=True)
class GiftError:
    """A question that was not imported, or a note about the whole file (``line`` 0).

    :param line: the line the question starts on (0 for the whole file).
    :param message: English, for logs.
    :param code: stable identifier of the problem (``"unclosed_brace"`` ...).
    :param params: the values a sentence about it needs (``{"index": 2}``).
    """

    line: int
    message: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GiftResult:
    """What :func:`parse_gift` made of a file.

    :param questions: the valid questions, in file order.
    :param errors: one per broken question, with the line the question starts on.
    :param encoding: the encoding the bytes were read with (``parse_gift_bytes``).
    :param warnings: notes that did not stop the import, such as a cp1251 fallback.
    :param lines: the line each of ``questions`` starts on (same order; empty when the
        questions were not parsed from text).
    """

    questions: tuple[Question, ...]
    errors: tuple[GiftError, ...] = ()
    encoding: str = "utf-8"
    warnings: tuple[GiftError, ...] = ()
    lines: tuple[int, ...] = ()


class _Invalid(Exception):
    """One question is broken; the message says why (English), ``code`` and ``params`` what
    a :class:`GiftError` reports."""

    def __init__(self, message: str, *, code: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def parse_gift(text: str) -> GiftResult:
    """Parse GIFT text; import every valid question and report each broken one.

    :param text: the whole file as text.
    """
    questions: list[Question] = []
    lines: list[int] = []
    errors: list[GiftError] = []
    for line, category, body in _questions_in(text.removeprefix("\ufeff")):
        try:
            questions.append(_parse_question(body, category))
        except _Invalid as exc:
            errors.append(GiftError(line, str(exc), exc.code, exc.params))
        else:
            lines.append(line)
    return GiftResult(tuple(questions), tuple(errors), lines=tuple(lines))


def parse_gift_bytes(data: bytes) -> GiftResult:
    """Decode a GIFT file and parse it.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM are read as such; anything else is
    tried as cp1251 (Windows Cyrillic) and the fallback is reported in ``warnings``.

    :param data: the raw file.
    :raises GiftEncodingError: the bytes are not text in any of those encodings.
    :raises GiftFileError: the file is binary data or markup, or holds no question with an
        answer block (see the module docstring).
    """
    for signature, kind, name in _SIGNATURES:
        if data.startswith(signature):
            raise GiftFileError(
                f"the file is {name}, not GIFT text; {EXPECTED_GIFT}", code="binary_file", kind=kind
            )
    text, encoding = _decode(data)
    start = _first_content(text)
    tag = _TAG_RE.match(start)
    opening = tag.group(0) if tag else ""
    markup = GiftFileError(
        f"the file is XML or HTML markup (it starts with '{opening}'), not GIFT; {EXPECTED_GIFT}",
        code="markup_file",
        start=opening,
    )
    if _MARKUP_RE.match(start):
        raise markup
    result = parse_gift(text)
    if not result.errors and all(q.type == "description" for q in result.questions):
        if tag:
            raise markup
        raise GiftFileError(f"no questions found in the file; {EXPECTED_GIFT}", code="no_questions")
    warnings: tuple[GiftError, ...] = ()
    if encoding == "cp1251":
        warnings = (
            GiftError(
                0,
                "the file is not UTF-8, so it was read as Windows-1251 (cp1251); check that "
                "the Cyrillic text looks right and save GIFT files as UTF-8",
                code="read_as_cp1251",
            ),
        )
    return GiftResult(result.questions, result.errors, encoding, warnings, result.lines)


def summarise(result: GiftResult) -> dict[str, object]:
    """Counts for an import report: ``imported``, ``by_type`` (every type) and ``errors``."""
    by_type = dict.fromkeys(QUESTION_TYPES, 0)
    for question in result.questions:
        by_type[question.type] += 1
    return {
        "imported": len(result.questions),
        "by_type": by_type,
        "errors": [{"line": e.line, "code": e.code, "message": e.message} for e in result.errors],
    }


# --- decoding ---------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise GiftEncodingError(
            "the file contains NUL bytes, so it is not a text file; a GIFT file is plain text "
            "in UTF-8 (preferred), UTF-16 with a BOM, or cp1251",
            code="nul_bytes",
        )
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise GiftEncodingError(
            f"the file is neither UTF-8 nor cp1251 (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); save it as UTF-8 and import it again",
            code="undecodable_byte",
            byte=f"0x{data[exc.start]:02x}",
            offset=exc.start,
        ) from None
    high = [ch for ch in text if ord(ch) > 127]
    cyrillic = sum(1 for ch in high if "\u0400" <= ch <= "\u04ff")
    if high and cyrillic / len(high) < 0.6:
        raise GiftEncodingError(
            "the file is not UTF-8 and does not look like cp1251 Cyrillic text either; "
            "save it as UTF-8 and import it again",
            code="not_cyrillic",
        )
    return text, "cp1251"


def _first_content(text: str) -> str:
    """The first line that is neither blank nor a ``//`` comment, stripped ("" if none)."""
    for line in text.removeprefix("\ufeff").splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("//"):
            return stripped
    return ""


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise GiftEncodingError(
            f"the file starts with a {encoding} byte-order mark but byte {exc.start} is not "
            f"valid {encoding}; save it as UTF-8 and import it again",
            code="bad_bom_text",
            encoding=encoding,
            offset=exc.start,
        ) from None


# --- splitting into questions -----------------------------------------------------------------


def _questions_in(text: str) -> Iterator[tuple[int, str, str]]:
    """Yield (starting line, category, escaped question text) for each question."""
    category = ""
    block: list[str] = []
    start = 0
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate([*lines, ""], start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:") or not stripped:
            if block:
                yield start, category, _escape("\n".join(block))
                block = []
            if stripped:
                category = _category_path(stripped[len("$CATEGORY:"):])
            continue
        if not block:
            start = number
        block.append(raw.rstrip())


def _category_path(raw: str) -> str:
    path = _CATEGORY_PREFIXES.sub("", raw.strip())
    return "/".join(part.strip() for part in path.split("/") if part.strip())


def _escape(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


# --- one question -----------------------------------------------------------------------------


def _parse_question(body: str, category: str) -> Question:
    text = body.strip()
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise _Invalid(
                "the question name opens with '::' but is not closed; write ::name:: before "
                "the text (escape a literal colon as \\:)",
                code="name_not_closed",
            )
        name, text = text[2:end].strip(), text[end + 2:].strip()
    text_format = "moodle"
    match = _FORMAT_RE.match(text)
    if match and match.group(1).lower() in TEXT_FORMATS:
        text_format, text = match.group(1).lower(), text[match.end():].strip()

    opening, closing = text.find("{"), text.find("}")
    if opening < 0 and closing < 0:
        if not text:
            raise _Invalid("the question has a name but no text", code="name_without_text")
        return Question("description", _restore(text), _restore(name), category, text_format)
    if closing < 0:
        raise _Invalid("unclosed brace: the answer block opened with '{' has no closing '}'",
                       code="unclosed_brace")
    if opening < 0 or closing < opening:
        raise _Invalid(
            "'}' without an opening '{'; write \\} for a literal brace", code="stray_closing_brace"
        )
    if "{" in text[opening + 1:closing]:
        raise _Invalid(
            "unclosed brace: an answer block opened with '{' is not closed before the next '{'",
            code="brace_not_closed_before_next",
        )
    before, block, after = text[:opening], text[opening + 1:closing], text[closing + 1:]
    if "{" in after or "}" in after:
        several = "\n" in after
        hint = "; if these are several questions, separate them with an empty line" if several else ""
        raise _Invalid(
            "more than one answer block; a question takes one {…} (write \\{ and \\} for "
            f"literal braces){hint}",
            code="questions_not_separated" if several else "several_answer_blocks",
        )
    blank_at: int | None = None
    if after.strip():
        stem = before.lstrip()
        blank_at = len(stem)
        text = (stem + BLANK + after).rstrip()
    else:
        text = before.strip()
    if not text.replace(BLANK, "").strip():
        raise _Invalid("the question has no text, only an answer block", code="no_question_text")

    general = ""
    if "####" in block:
        block, general = block.split("####", 1)
    block = block.strip()
    kind = _detect(block)
    parsed = _PARSERS[kind](block)
    return Question(
        type=kind,  # type: ignore[arg-type]
        text=_restore(text),
        name=_restore(name),
        category=category,
        text_format=text_format,  # type: ignore[arg-type]
        general_feedback=_restore(general.strip()),
        blank_at=blank_at,
        **parsed,
    )


_DETECTORS: Final[tuple[tuple[Callable[[str], bool], str], ...]] = (
    (lambda b: b == "", "essay"),
    (lambda b: b.startswith("#"), "numerical"),
    (lambda b: "~" in b, "multichoice"),
    (lambda b: "=" in b and "->" in b, "matching"),
    (lambda b: b.split("#", 1)[0].strip().upper() in _TRUE_FALSE, "truefalse"),
    (lambda b: b.startswith("="), "shortanswer"),
)


def _detect(block: str) -> str:
    for matches, kind in _DETECTORS:
        if matches(block):
            return kind
    shown = _restore(block)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    raise _Invalid(
        f"unknown question type in the answer block {{{shown}}}: {ACCEPTED_BLOCKS}",
        code="unknown_answer_block",
        block=shown,
    )


def _pieces(block: str) -> list[tuple[str, str]]:
    """Split an answer block into (marker, body) pairs at each '=' or '~'."""
    parts = re.split(r"(?=[=~])", block)
    lead = parts.pop(0).strip() if parts and parts[0][:1] not in ("=", "~") else ""
    if lead:
        raise _Invalid(
            f"'{_restore(lead)}' stands before the first answer; each answer starts with "
            "'=' (right) or '~' (wrong)",
            code="text_before_first_answer",
            text=_restore(lead),
        )
    return [(part[0], part[1:].strip()) for part in parts]


def _weight(body: str, default: float) -> tuple[float, str]:
    """Split a leading ``%weight%`` off an answer body."""
    if not body.startswith("%"):
        return default, body
    end = body.find("%", 1)
    raw = body[1:end] if end > 0 else body[1:]
    number = raw.strip()
    if end < 0 or not _NUMBER_RE.fullmatch(number) or not -100 <= float(number) <= 100:
        written = f"%{_restore(raw)}{'%' if end > 0 else ''}"
        raise _Invalid(
            f"bad weight '{written}': a weight is a percent from -100 to 100 between two signs, "
            "such as %50% or %-25%",
            code="bad_weight",
            weight=written,
        )
    return float(number), body[end + 1:].strip()


def _feedback(body: str) -> tuple[str, str]:
    text, _, feedback = body.partition("#")
    return _restore(text.strip()), _restore(feedback.strip())


def _choices(block: str, default_for: dict[str, float]) -> list[Choice]:
    choices = []
    for index, (marker, body) in enumerate(_pieces(block), start=1):
        weight, body = _weight(body, default_for[marker])
        text, feedback = _feedback(body)
        if not text:
            raise _Invalid(
                f"answer {index} is empty; write its text after '{marker}'",
                code="empty_answer",
                index=index,
                marker=marker,
            )
        choices.append(Choice(f"a{index}", text, weight, feedback))
    return choices


def _parse_multichoice(block: str) -> dict[str, object]:
    single = any(marker == "=" for marker, _ in _pieces(block))
    choices = _choices(block, {"=": 100.0, "~": 0.0})
    if len(choices) < 2:
        raise _Invalid("a multiple-choice question needs at least two answers", code="too_few_choices")
    if single:
        if max(c.weight for c in choices) != 100:
            raise _Invalid(
                "no correct answer: mark one answer with '=' (or give it %100%)",
                code="no_correct_choice",
            )
    else:
        positive = sum(c.weight for c in choices if c.weight > 0)
        if positive == 0:
            raise _Invalid(
                "no correct answer: mark one answer with '=', or give the right answers of a "
                "multiple-answer question positive weights such as ~%50%",
                code="no_positive_weight",
            )
        if abs(positive - 100) > _WEIGHT_TOLERANCE:
            raise _Invalid(
                f"bad weights: the positive weights add up to {positive:g}%, but the right "
                "answers of a multiple-answer question must add up to 100%",
                code="weights_not_100",
                total=positive,
            )
    return {"choices": tuple(choices), "single": single}


def _parse_shortanswer(block: str) -> dict[str, object]:
    choices = _choices(block, {"=": 100.0, "~": 0.0})
    if max(c.weight for c in choices) != 100:
        raise _Invalid(
            "no correct answer: give at least one answer 100% (a plain '=answer')",
            code="no_full_short_answer",
        )
    return {"choices": tuple(choices)}


def _parse_truefalse(block: str) -> dict[str, object]:
    parts = block.split("#")
    if len(parts) > 3:
        raise _Invalid(
            "a true/false answer takes at most two feedbacks: {T#if wrong#if right}",
            code="too_many_feedbacks",
        )
    correct = _TRUE_FALSE[parts[0].strip().upper()]
    wrong, right = (_restore(p.strip()) for p in (parts + ["", ""])[1:3])
    true_choice = Choice(TRUE_ID, "Верно", 100.0 if correct else 0.0, right if correct else wrong)
    false_choice = Choice(
        FALSE_ID, "Неверно", 0.0 if correct else 100.0, wrong if correct else right
    )
    return {"choices": (true_choice, false_choice)}


def _number(raw: str, index: int) -> float:
    raw = raw.strip()
    if not _NUMBER_RE.fullmatch(raw):
        raise _Invalid(
            f"numerical answer {index}: '{_restore(raw)}' is not a number; write 3.14, "
            "3.14:0.01 (value:tolerance) or 1..5 (range), with a dot for decimals",
            code="not_a_number",
            index=index,
            text=_restore(raw),
        )
    return float(raw)


def _numeric_answer(body: str, index: int, weight: float) -> NumericAnswer:
    weight, body = _weight(body, weight)
    value, feedback = _feedback(body)
    if not value:
        raise _Invalid(f"numerical answer {index} is empty; write a number after '='",
                       code="empty_number", index=index)
    if ".." in value:
        low, high = (_number(part, index) for part in value.split("..", 1))
        if low > high:
            raise _Invalid(
                f"numerical answer {index}: range {value} runs backwards; write low..high",
                code="backward_range",
                index=index,
                range=value,
            )
        return NumericAnswer.between(f"n{index}", low, high, weight, feedback)
    centre, _, tolerance = value.partition(":")
    spread = _number(tolerance, index) if tolerance.strip() else 0.0
    return NumericAnswer.around(f"n{index}", _number(centre, index), spread, weight, feedback)


def _parse_numerical(block: str) -> dict[str, object]:
    body = block[1:]
    body, tilde, wrong = body.partition("~")
    incorrect = ""
    if tilde:
        if not wrong.strip().startswith("#"):
            raise _Invalid(
                "after '~' a numerical question takes only '#feedback for wrong answers'",
                code="numerical_wrong_answer",
            )
        incorrect = _restore(wrong.strip()[1:].strip())
    body = body.strip()
    if body.startswith("="):
        pieces = [piece.strip() for piece in body[1:].split("=")]
        answers = [_numeric_answer(p, i, 100.0) for i, p in enumerate(pieces, start=1)]
    else:
        answers = [_numeric_answer(body, 1, 100.0)]
    if max(a.weight for a in answers) != 100:
        raise _Invalid("no correct answer: give at least one numerical answer 100%", code="no_full_number")
    return {"numeric": tuple(answers), "incorrect_feedback": incorrect}


def _parse_matching(block: str) -> dict[str, object]:
    pairs = []
    for index, (marker, body) in enumerate(_pieces(block), start=1):
        if marker != "=" or "->" not in body:
            raise _Invalid(
                f"matching pair {index} is not written as '=left -> right' (use '= -> right' "
                "for an extra right-hand answer)",
                code="bad_pair",
                index=index,
            )
        left, right = (_restore(side.strip()) for side in body.split("->", 1))
        if not right:
            raise _Invalid(
                f"matching pair {index} has nothing after '->'", code="pair_without_right", index=index
            )
        pairs.append(MatchPair(f"p{index}", left, right))
    if sum(1 for p in pairs if p.left) < 2:
        raise _Invalid("a matching question needs at least two '=left -> right' pairs", code="too_few_pairs")
    return {"pairs": tuple(pairs)}


def _parse_essay(block: str) -> dict[str, object]:
    return {}


_PARSERS: Final[dict[str, Callable[[str], dict[str, object]]]] = {
    "multichoice": _parse_multichoice,
    "truefalse": _parse_truefalse,
    "shortanswer": _parse_shortanswer,
    "numerical": _parse_numerical,
    "matching": _parse_matching,
    "essay": _parse_essay,
}
