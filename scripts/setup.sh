#!/usr/bin/env bash
# Install raadsinzicht on a Debian/Ubuntu machine: Tesseract with Dutch (OCR of scanned
# PDFs) via apt, a virtual environment in .venv and the package.
#   bash scripts/setup.sh            # the application (about 2 minutes; search, answers
#                                    # quoted from the sources, web interface)
#   bash scripts/setup.sh --model    # plus the embedded language model: builds llama.cpp
#                                    # (about 5 minutes) and downloads the model (1.1 GB)
#   bash scripts/setup.sh --test     # plus what CI needs: test and lint tools, Chromium for
#                                    # the browser tests, llama.cpp with a tiny test model
# A second run with the same options and an unchanged pyproject.toml changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_model=0
want_test=0
for arg in "$@"; do
    case "$arg" in
        --model) want_model=1 ;;
        --test) want_test=1 ;;
        -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "Onbekende optie: $arg (kies --model en/of --test)" >&2; exit 2 ;;
    esac
done
extras=()
((want_model)) && extras+=(embedded)
((want_test)) && extras+=(test)
spec="."
((${#extras[@]})) && spec=".[$(IFS=,; echo "${extras[*]}")]"

step() { printf '==> %s\n' "$*"; }
started=$SECONDS

# -- system packages ------------------------------------------------------------------------
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx nld || need+=(tesseract-ocr-nld)
# Only the browser tests drive Chromium (Playwright never downloads a browser here).
((want_test)) && [[ ! -x /usr/bin/chromium ]] && need+=(chromium)
if ((${#need[@]})); then
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    step "Systeempakketten installeren met apt: ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
else
    present="Tesseract met Nederlands"
    ((want_test)) && present+=" en Chromium"
    step "Systeempakketten: $present al aanwezig"
fi

# -- Python environment ---------------------------------------------------------------------
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
"$python" -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 nodig"'
if [[ ! -x .venv/bin/python ]]; then
    step "Virtuele omgeving maken in .venv"
    "$python" -m venv .venv
fi

# The stamp records what was installed: pyproject.toml's hash and the extras. Nothing to do
# when it matches and every extra asked for now was installed then.
stamp=.venv/.raadsinzicht-installed
project_hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
installed_hash="" installed_extras=""
if [[ -f $stamp ]]; then read -r installed_hash installed_extras <"$stamp" || true; fi
up_to_date=0
if [[ $installed_hash == "$project_hash" ]]; then
    up_to_date=1
    for extra in "${extras[@]}"; do
        [[ ",$installed_extras," == *",$extra,"* ]] || up_to_date=0
    done
fi

if ((up_to_date)); then
    step "Python-pakketten: al geïnstalleerd (pyproject.toml ongewijzigd), niets te doen"
else
    step "Python-pakketten installeren: $spec (ongeveer 1-2 minuten met een gevulde pip-cache)"
    ((want_model)) && step "  waaronder het ingebouwde taalmodel: llama.cpp compileren (ongeveer 5 minuten op 2 kernen) en het model downloaden (1,1 GB)"
    ((want_test)) && step "  waaronder testgereedschap en llama.cpp met een klein testmodel (compileren: ongeveer 5 minuten)"
    .venv/bin/python -m pip install -q --upgrade pip
    # --no-compile: Python compiles what is imported on first use; compiling all of
    # gradio, chromadb and llama-index up front cost 30 s of CPU that a first run never needs.
    .venv/bin/python -m pip install -q --no-compile -e "$spec"
    # Unless PYTHONDONTWRITEBYTECODE is set (as in many container images): then Python never
    # keeps what it compiles, and every start compiles gradio's and chromadb's sources
    # again (a cold `search` 2.8-3.6 s instead of 1.2-1.7 s). Compile once here (~17 s).
    if [[ -n ${PYTHONDONTWRITEBYTECODE:-} ]]; then
        step "Python-bytecode vooraf maken (PYTHONDONTWRITEBYTECODE staat aan; ongeveer 20 s)"
        .venv/bin/python -m compileall -q -j 0 .venv/lib >/dev/null 2>&1 || true
    fi
    # Extras installed earlier for the same pyproject.toml are still there: remember them.
    all=("${extras[@]}")
    if [[ $installed_hash == "$project_hash" ]]; then
        IFS=, read -r -a earlier <<<"$installed_extras"
        all+=("${earlier[@]}")
    fi
    echo "$project_hash $(printf '%s\n' "${all[@]}" | sed '/^$/d' | sort -u | paste -sd, -)" >"$stamp"
fi

step "Klaar in $((SECONDS - started)) s: .venv/bin/raadsinzicht"
if ((!want_model)); then
    echo "    Antwoorden komen uit de bronnen (geciteerd, zonder taalmodel). Voor geschreven"
    echo "    antwoorden: Ollama (zie README) of het ingebouwde model met: bash scripts/setup.sh --model"
fi
