#!/usr/bin/env bash
# Install raadsinzicht on a fresh Debian/Ubuntu machine: system packages (Tesseract with
# Dutch, for OCR of scanned PDFs), a virtual environment in .venv and the package.
#   bash scripts/setup.sh          # the application
#   bash scripts/setup.sh --test   # plus test and lint tools
set -euo pipefail
cd "$(dirname "$0")/.."

#   bash scripts/setup.sh --no-model   # without the embedded language model (answers are
#                                        # then quoted from the sources, or come from Ollama)
# The embedded model (llama.cpp + Qwen2.5-Coder-1.5B-Instruct, a 1.1 GB download) is part
# of the default install so that answers are written without Ollama too; building
# llama.cpp takes about 5 minutes once.
extras="[embedded]"
[[ "${1:-}" == "--test" ]] && extras="[embedded,test]"
[[ "${1:-}" == "--no-model" ]] && extras=""

need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx nld || need+=(tesseract-ocr-nld)
# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
if [[ "${1:-}" == "--test" && ! -x /usr/bin/chromium ]]; then need+=(chromium); fi
if ((${#need[@]})); then
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    echo "Installing system packages: ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
"$python" -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 nodig"'
[[ -x .venv/bin/python ]] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extras}"
echo "raadsinzicht installed: .venv/bin/raadsinzicht"
