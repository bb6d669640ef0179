"""The prompt library: one editable Dutch template per task in ``prompts/``.

A template is a Markdown file with TOML front matter between ``+++`` lines::

    +++
    name = "raadsvoorstel"
    task = "summary"            # answer | summary | summary-map | summary-reduce
    description = "Beslispunten, financiën en planning"
    system = "..."              # optional: instructions sent as the system message
    +++
    The body: instructions, with $placeholders for the task's variables.

Users add their own summary templates by dropping a file in the folder; no code. The
variables are checked when a template is loaded (a misspelt $placeholder is an error,
not a silently empty prompt), and every use is logged with the template's name and the
sha256 of its text.
"""

from __future__ import annotations

import hashlib
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

__all__ = ["PromptLibrary", "PromptTemplate", "find_prompts_dir"]

# The variables each task's body must use (and may only use).
TASK_VARIABLES: dict[str, frozenset[str]] = {
    "answer": frozenset({"context", "question"}),
    "summary": frozenset(),
    "summary-map": frozenset({"instructions", "context", "title"}),
    "summary-reduce": frozenset({"instructions", "partials", "title"}),
}


@dataclass(frozen=True, slots=True)
class PromptTemplate:
    name: str
    task: str
    description: str
    system: str
    body: str
    path: Path

    @property
    def sha256(self) -> str:
        return hashlib.sha256(f"{self.system}\n{self.body}".encode()).hexdigest()

    def render(self, **values: str) -> str:
        """Fill the body's $placeholders; a missing value raises instead of rendering blank."""
        try:
            return string.Template(self.body).substitute(values)
        except KeyError as exc:
            raise ConfigError(
                f"Prompt '{self.name}': waarde ontbreekt voor ${exc.args[0]}"
            ) from exc


def _variables(text: str) -> set[str]:
    found = set()
    for match in string.Template.pattern.finditer(text):
        name = match.group("named") or match.group("braced")
        if name:
            found.add(name)
    return found


def load_template(path: Path) -> PromptTemplate:
    text = path.read_text(encoding="utf-8")
    parts = text.split("+++", 2)
    if len(parts) != 3 or parts[0].strip():
        raise ConfigError(f"{path.name}: verwacht TOML-kop tussen '+++'-regels bovenaan")
    try:
        header = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: kop is geen geldige TOML: {exc}") from exc
    name = str(header.get("name") or path.stem)
    task = str(header.get("task", "summary"))
    if task not in TASK_VARIABLES:
        raise ConfigError(
            f"{path.name}: onbekende taak '{task}' (kies uit {', '.join(TASK_VARIABLES)})"
        )
    body = parts[2].strip() + "\n"
    used = _variables(body)
    expected = TASK_VARIABLES[task]
    if used != expected:
        problems = []
        if expected - used:
            problems.append("ontbreekt: " + ", ".join(f"${v}" for v in sorted(expected - used)))
        if used - expected:
            problems.append("onbekend: " + ", ".join(f"${v}" for v in sorted(used - expected)))
        raise ConfigError(f"{path.name}: variabelen kloppen niet ({'; '.join(problems)})")
    return PromptTemplate(
        name=name,
        task=task,
        description=str(header.get("description", "")),
        system=str(header.get("system", "")).strip(),
        body=body,
        path=path,
    )


def find_prompts_dir(configured: Path) -> Path:
    """The configured folder, else the library shipped next to the package source."""
    if configured.is_dir():
        return configured
    bundled = Path(__file__).resolve().parents[2] / "prompts"
    if bundled.is_dir():
        return bundled
    raise ConfigError(f"Promptmap niet gevonden: {configured}")


class PromptLibrary:
    def __init__(self, directory: Path) -> None:
        self.directory = find_prompts_dir(directory)
        self._templates: dict[str, PromptTemplate] = {}
        for path in sorted(self.directory.glob("*.md")):
            if path.name.lower() == "readme.md":
                continue
            template = load_template(path)
            if template.name in self._templates:
                raise ConfigError(f"{path.name}: naam '{template.name}' bestaat al")
            self._templates[template.name] = template

    def get(self, name: str, *, task: str | None = None) -> PromptTemplate:
        template = self._templates.get(name)
        if template is None or (task and template.task != task):
            choices = ", ".join(t.name for t in self.list(task))
            raise ConfigError(f"Sjabloon '{name}' bestaat niet; kies uit: {choices}")
        return template

    def first(self, task: str) -> PromptTemplate:
        for template in self._templates.values():
            if template.task == task:
                return template
        raise ConfigError(f"Geen sjabloon voor taak '{task}' in {self.directory}")

    def list(self, task: str | None = None) -> list[PromptTemplate]:
        return [t for t in self._templates.values() if task is None or t.task == task]
