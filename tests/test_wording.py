"""Every error code a domain package can raise has Russian wording in :mod:`app.wording`.

The domain packages (``exams``, ``games`` ...) raise errors with a stable ``code`` and English
prose for logs; people read the Russian template the catalogue keeps for that code. These tests
read each package's source with :mod:`ast` (so a code added anywhere is found without a list to
maintain), then raise real errors through the public ``exams`` functions to check that every
template fits the params its raise sites pass.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import exams
from app.wording import CATALOGUE, GENERIC, say

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = sorted(CATALOGUE)


# --- the walker -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorClass:
    name: str
    bases: tuple[str, ...]
    code: str | None  # the class-level ``code = "..."``, if it sets one
    where: str


@dataclass(frozen=True)
class Site:
    """A call (or bare ``raise``) of a class, with the codes its ``code=`` keyword can be."""

    callee: str
    where: str
    gives_code: bool  # a ``code=`` keyword (literal or not) or ``**kwargs``
    codes: tuple[str, ...] = ()


@dataclass
class Source:
    """What the walker found in one package's source."""

    classes: dict[str, ErrorClass] = field(default_factory=dict)
    sites: list[Site] = field(default_factory=list)

    @property
    def errors(self) -> dict[str, ErrorClass]:
        """The exception classes: those whose bases lead to a built-in exception."""
        found: dict[str, ErrorClass] = {}
        changed = True
        while changed:
            changed = False
            for name, cls in self.classes.items():
                if name not in found and any(_is_exception(b) or b in found for b in cls.bases):
                    found[name] = cls
                    changed = True
        return found

    def codes(self) -> dict[str, str]:
        """Every error code → the first place it appears (class attribute or ``code=``)."""
        out: dict[str, str] = {}
        for cls in self.errors.values():
            if cls.code:
                out.setdefault(cls.code, cls.where)
        for site in self.sites:
            for code in site.codes:
                out.setdefault(code, site.where)
        return out

    def own_code(self, name: str) -> str | None:
        """The code a class has without one given at the raise site (inherited in the package)."""
        cls = self.errors.get(name)
        while cls is not None:
            if cls.code:
                return cls.code
            cls = next((self.errors[b] for b in cls.bases if b in self.errors), None)
        return None

    def raise_sites(self) -> list[Site]:
        errors = self.errors
        return [site for site in self.sites if site.callee in errors]


def _is_exception(name: str) -> bool:
    value = getattr(builtins, name, None)
    return isinstance(value, type) and issubclass(value, BaseException)


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _class_code(node: ast.ClassDef) -> str | None:
    for statement in node.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        if any(isinstance(t, ast.Name) and t.id == "code" for t in targets):
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
    return None


def _literals(node: ast.expr) -> tuple[str, ...]:
    """The string constants a ``code=`` value can be (``"a" if x else "b"`` gives both)."""
    return tuple(
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    )


def scan(folder: Path) -> Source:
    """Read every ``.py`` file under ``folder``: classes with their ``code`` and every call."""
    source = Source()
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        relative = path.relative_to(folder.parent) if folder.parent in path.parents else path
        for node in ast.walk(tree):
            where = f"{relative}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ClassDef):
                bases = tuple(filter(None, (_name(b) for b in node.bases)))
                source.classes[node.name] = ErrorClass(node.name, bases, _class_code(node), where)
            elif isinstance(node, ast.Call) and (callee := _name(node.func)):
                code = next((k for k in node.keywords if k.arg == "code"), None)
                splat = any(k.arg is None for k in node.keywords)
                codes = _literals(code.value) if code is not None else ()
                source.sites.append(Site(callee, where, code is not None or splat, codes))
            elif isinstance(node, ast.Raise) and node.exc is not None:
                if isinstance(node.exc, ast.Name):  # ``raise SomeError`` without a call
                    source.sites.append(Site(node.exc.id, where, False))
    return source


def missing_wording(source: Source, wording: dict[str, object]) -> list[str]:
    """``"code (where)"`` for each code of ``source`` that ``wording`` lacks."""
    return sorted(f"{code} ({where})" for code, where in source.codes().items() if code not in wording)


def generic_raises(source: Source, root_code: str | None) -> list[str]:
    """Raise sites that give no ``code=`` while their class has only the root's generic code
    (or none at all)."""
    return sorted(
        f"{site.callee} at {site.where}"
        for site in source.raise_sites()
        if not site.gives_code and source.own_code(site.callee) in (None, root_code)
    )


def root_error(package: str) -> type[BaseException] | None:
    """The package's root exception: the class in ``<package>.errors`` that no other error of
    the package is the base of (``ExamError``); None without an errors module."""
    try:
        module = importlib.import_module(f"{package}.errors")
    except ModuleNotFoundError:
        return None
    mine = [
        value for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, BaseException)
        and value.__module__ == module.__name__
    ]
    roots = [cls for cls in mine if not any(base in mine for base in cls.__mro__[1:])]
    return roots[0] if len(roots) == 1 else None


def coded_package(package: str) -> Source:
    """The scanned source of a package whose errors carry codes; skips one that has none yet."""
    root = root_error(package)
    if root is None or not hasattr(root, "code"):
        pytest.skip(f"{package}: its root error has no `code` yet, so it has no wording to check")
    return scan(ROOT / package)


# --- every package in the catalogue -------------------------------------------------------------


@pytest.mark.parametrize("package", PACKAGES)
def test_every_error_code_has_russian_wording(package: str) -> None:
    source = coded_package(package)
    assert source.codes(), f"{package}: no error codes found, the walker looks in the wrong place"
    assert missing_wording(source, dict(CATALOGUE[package])) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_raise_site_falls_back_to_the_generic_code(package: str) -> None:
    source = coded_package(package)
    root = root_error(package)
    assert generic_raises(source, getattr(root, "code", None)) == []


def test_the_exams_wording_has_no_code_nobody_raises() -> None:
    assert sorted(set(CATALOGUE["exams"]) - set(scan(ROOT / "exams").codes())) == []


def test_every_exams_raise_names_its_own_code() -> None:
    """Stricter than the generic rule for exams: every raise site says exactly what happened."""
    source = scan(ROOT / "exams")
    assert [s.where for s in source.raise_sites() if not s.gives_code] == []


def test_the_walker_catches_missing_wording_and_generic_raises(tmp_path: Path) -> None:
    package = tmp_path / "demo_pkg"
    package.mkdir()
    (package / "errors.py").write_text(
        "class DemoError(Exception):\n    code = 'demo_error'\n\n"
        "class PartError(DemoError):\n    pass\n\n"
        "class OwnError(DemoError):\n    code: str = 'own'\n",
        encoding="utf-8",
    )
    (package / "work.py").write_text(
        "from .errors import OwnError, PartError\n\n"
        "def f(x):\n"
        "    if x:\n        raise PartError('no code here')\n"
        "    if x > 1:\n        raise OwnError('fine: the class has its own code')\n"
        "    raise PartError('x', code='first' if x else 'second')\n",
        encoding="utf-8",
    )
    source = scan(package)
    assert set(source.codes()) == {"demo_error", "own", "first", "second"}
    assert missing_wording(source, {"demo_error": "…", "own": "…", "first": "…"}) == [
        "second (demo_pkg/work.py:8)"
    ]
    assert generic_raises(source, "demo_error") == ["PartError at demo_pkg/work.py:5"]


# --- exams: each template fits the params its raise sites pass -------------------------------


START = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
LATIN_ALLOWED = {"GIFT", "UTF", "cp", "Windows", "XML", "HTML", "PDF", "ZIP", "Word", "docx",
                 "Excel", "doc", "xls", "RTF", "PNG", "GIF", "JPEG", "BOM"}


def q(gift: str) -> exams.Question:
    return exams.parse_gift(gift).questions[0]


def paper(time_limit: int | None = None) -> exams.ExamPaper:
    bank = [q(f"Вопрос {i} {{T}}") for i in range(2)]
    return exams.assemble(exams.ExamSpec("Т", (("", 2),), time_limit_min=time_limit), bank, seed=1)


def essay_result() -> exams.AttemptResult:
    essay = exams.assemble(exams.ExamSpec("Эссе", (("", 1),)), [q("Опишите {}")], 1)
    return exams.grade_attempt(essay, {"q1": "Текст"}, START, START)


def typed(question: exams.Question, kind: str) -> exams.Question:
    """A question whose type no grader knows (a value the constructor would refuse)."""
    question = dataclasses.replace(question)
    object.__setattr__(question, "type", kind)
    return question


SINGLE = "x {=да ~нет}"
MATCH = "x {=МТС -> красный =Билайн -> жёлтый}"

RAISED: list[tuple[str, Callable[[], object]]] = [
    ("no_picks", lambda: exams.ExamSpec("Т", ())),
    ("bad_pick_count", lambda: exams.ExamSpec("Т", (("Тарифы", 0),))),
    ("pass_mark_out_of_range", lambda: exams.ExamSpec("Т", (("", 1),), pass_mark=150.5)),
    ("time_limit_not_positive", lambda: exams.ExamSpec("Т", (("", 1),), time_limit_min=0)),
    ("attempt_limit_below_one", lambda: exams.ExamSpec("Т", (("", 1),), attempt_limit=0)),
    ("valid_days_below_one", lambda: exams.Certification("line_mts", "Линия МТС", "mts", "e", 0)),
    ("not_enough_questions", lambda: exams.assemble(exams.ExamSpec("Т", (("", 5),)), [q("x {T}")], 1)),
    ("slot_not_on_paper", lambda: exams.grade_attempt(paper(), {"q9": "x"}, START, START)),
    ("mixed_timezones", lambda: exams.grade_attempt(paper(), {}, START.replace(tzinfo=None), START)),
    ("submitted_before_start", lambda: exams.grade_attempt(paper(), {}, START, START - timedelta(1))),
    (
        "time_limit_exceeded",
        lambda: exams.grade_attempt(paper(10), {}, START, START + timedelta(minutes=12, seconds=5)),
    ),
    ("slots_not_pending", lambda: exams.apply_manual_grades(essay_result(), {"q2": 1.0})),
    ("manual_score_out_of_range", lambda: exams.apply_manual_grades(essay_result(), {"q1": 2.0})),
    ("no_grader", lambda: exams.grade(typed(q("x {}"), "poll"), "a")),
    ("unknown_choice", lambda: exams.grade(q(SINGLE), ["a9"])),
    ("unknown_pair", lambda: exams.grade(q(MATCH), {"p9": "красный"})),
    ("unknown_right_answer", lambda: exams.grade(q(MATCH), {"p1": "синий"})),
    ("one_answer_only", lambda: exams.grade(q(SINGLE), ["a1", "a2"])),
    ("wrong_response_shape", lambda: exams.grade(q(SINGLE), 5)),
    ("unknown_question_type", lambda: exams.Question("essayy", "x")),  # type: ignore[arg-type]
    ("unknown_text_format", lambda: exams.Question("essay", "x", text_format="rtf")),  # type: ignore[arg-type]
    (
        "weight_out_of_range",
        lambda: exams.Question("multichoice", "x", choices=(exams.Choice("a1", "a", 150.0),)),
    ),
    ("binary_file", lambda: exams.parse_gift_bytes(b"%PDF-1.7")),
    ("markup_file", lambda: exams.parse_gift_bytes(b"<svg/>")),
    ("no_questions", lambda: exams.parse_gift_bytes(b"// only a comment\n")),
    ("nul_bytes", lambda: exams.parse_gift_bytes(b"a\x00\xff")),
    ("undecodable_byte", lambda: exams.parse_gift_bytes(b"abc \x98 def")),
    ("not_cyrillic", lambda: exams.parse_gift_bytes(b"x \xab\xbb \xa9 {T}")),
    ("bad_bom_text", lambda: exams.parse_gift_bytes(b"\xef\xbb\xbfx {T} \xff")),
]

GIFT_PROBLEMS: list[tuple[str, str]] = [
    ("name_not_closed", "::имя {T}"),
    ("name_without_text", "::имя::"),
    ("unclosed_brace", "x {=a ~b"),
    ("stray_closing_brace", "x } {=a}"),
    ("brace_not_closed_before_next", "x {=a ~b {=c}"),
    ("questions_not_separated", "Первый {T}\nВторой {F}"),
    ("several_answer_blocks", "x {=a}{=b}"),
    ("no_question_text", "{=a ~b}"),
    ("unknown_answer_block", "x {foo}"),
    ("text_before_first_answer", "x {foo =a ~b}"),
    ("bad_weight", "x {~%abc%a ~%100%b}"),
    ("empty_answer", "x {=a ~}"),
    ("too_few_choices", "x {~только}"),
    ("no_correct_choice", "x {=%50%a ~b}"),
    ("no_positive_weight", "x {~a ~b}"),
    ("weights_not_100", "x {~%50%a ~%40.5%b}"),
    ("no_full_short_answer", "x {=%50%a}"),
    ("too_many_feedbacks", "x {T#a#b#c}"),
    ("not_a_number", "x {#три}"),
    ("empty_number", "x {#}"),
    ("backward_range", "x {#5..1}"),
    ("numerical_wrong_answer", "x {#5 ~неверно}"),
    ("no_full_number", "x {#=%50%5}"),
    ("bad_pair", "x {=a -> b =c}"),
    ("pair_without_right", "x {=a -> }"),
    ("too_few_pairs", "x {=a -> b}"),
]


def raised(action: Callable[[], object]) -> exams.ExamError:
    with pytest.raises(exams.ExamError) as caught:
        action()
    return caught.value


def gift_problem(gift: str) -> exams.GiftError:
    errors = exams.parse_gift(gift).errors
    assert len(errors) == 1, errors
    return errors[0]


def assert_russian(text: str) -> None:
    assert text != GENERIC
    assert re.search("[а-яё]", text, re.IGNORECASE), text
    unquoted = re.sub(r"«[^»]*»|\{[^}]*\}", "", text)  # user content and GIFT syntax
    assert [w for w in re.findall(r"[A-Za-z]{2,}", unquoted) if w not in LATIN_ALLOWED] == [], text


@pytest.mark.parametrize(("code", "action"), RAISED, ids=[code for code, _ in RAISED])
def test_each_exams_error_reads_in_russian(code: str, action: Callable[[], object]) -> None:
    error = raised(action)
    assert error.code == code
    assert_russian(say(error))


@pytest.mark.parametrize(("code", "gift"), GIFT_PROBLEMS, ids=[code for code, _ in GIFT_PROBLEMS])
def test_each_gift_problem_reads_in_russian(code: str, gift: str) -> None:
    problem = gift_problem(gift)
    assert problem.code == code
    assert_russian(say(problem))


def test_the_cp1251_note_reads_in_russian() -> None:
    (warning,) = exams.parse_gift_bytes("Вопрос {T}".encode("cp1251")).warnings
    assert warning.code == "read_as_cp1251"
    assert_russian(say(warning))


ERROR_CLASSES = [
    cls for cls in vars(exams).values() if isinstance(cls, type) and issubclass(cls, exams.ExamError)
]


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_each_kind_of_exams_error_has_russian_wording_of_its_own(cls: type[exams.ExamError]) -> None:
    error = cls("a message nobody wrote a template for")
    assert error.code == cls.code and error.params.keys() <= {"shortages"}
    assert_russian(say(error))


def test_the_table_raises_every_exams_code() -> None:
    covered = {code for code, _ in RAISED} | {code for code, _ in GIFT_PROBLEMS}
    covered |= {cls.code for cls in ERROR_CLASSES} | {"read_as_cp1251"}
    assert sorted(set(scan(ROOT / "exams").codes()) - covered) == []


def test_a_template_that_does_not_fit_its_params_falls_back_to_russian() -> None:
    error = exams.ExamSpecError("no params", code="bad_pick_count")
    assert say(error) == GENERIC
    assert say(exams.ExamError("unknown", code="nobody_wrote_this")) == GENERIC


def test_english_stays_for_logs_and_params_carry_the_values() -> None:
    error = raised(lambda: exams.ExamSpec("Т", (("Тарифы", 0),)))
    assert "asks for 0 questions" in str(error)
    assert (error.code, error.params) == ("bad_pick_count", {"category": "Тарифы", "count": 0})
    assert say(error) == "для категории «Тарифы» указано вопросов: 0; нужно целое число, не меньше 1"
