"""Thin wrapper around the `ocrmypdf` program (PyPI release, in our virtualenv).

Runs in a child process so one hostile or huge file can neither crash nor
stall the caller: it has a timeout and its own memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from schemas.errors import InputFileError, OcrError

# ocrmypdf's documented exit codes (ocrmypdf.ExitCode).
_INPUT_FILE = 2
_MISSING_DEPENDENCY = 3
_INVALID_OUTPUT_PDF = 4
_ALREADY_DONE_OCR = 6
_ENCRYPTED_PDF = 8
_PDFA_CONVERSION_FAILED = 10


@dataclass(frozen=True)
class OcrmypdfOptions:
    """Options for one run. `jobs` pages are OCR'd at once, each single-threaded."""

    languages: str = "tha+eng"
    jobs: int = 1
    timeout: int = 600
    deskew: bool = True
    clean: bool = True
    force_ocr: bool = False
    pages: str | None = None  # e.g. "2,5" to OCR only those pages
    output_type: str = "pdfa"
    ocr: bool = True  # False: only the PDF/A conversion (the text is read elsewhere)


def run_ocrmypdf(source: Path, output: Path, sidecar: Path, options: OcrmypdfOptions) -> list[str]:
    """OCR `source` into `output` (PDF/A) and `sidecar` (text); return warnings.

    Raises:
        InputFileError: the PDF is corrupt or encrypted.
        OcrError: ocrmypdf failed otherwise, or ran past the timeout.
    """
    args = [sys.executable, "-m", "ocrmypdf", "-l", options.languages, "--jobs",
            str(options.jobs), "--output-type", options.output_type, "--sidecar", str(sidecar),
            "--optimize", "1", "--quiet"]
    if options.deskew:
        args.append("--deskew")
    if options.clean:
        args.append("--clean")
    if options.force_ocr:
        # Never --skip-text/--redo-ocr: Debian 12's Ghostscript 10.0 corrupts PDFs
        # that keep existing text (ocrmypdf refuses it). Callers decide per page.
        args.append("--force-ocr")
    if options.pages:
        args += ["--pages", options.pages]
    if not options.ocr:
        args += ["--tesseract-timeout", "0"]
    args += [str(source), str(output)]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=options.timeout,
                              env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"OCR ใช้เวลาเกิน {options.timeout} วินาที (OCR timed out)") from exc
    return _check(done, output)


def _check(done: subprocess.CompletedProcess[str], output: Path) -> list[str]:
    tail = (done.stderr or "").strip().splitlines()[-3:]
    detail = " | ".join(tail)
    if done.returncode == 0:
        return []
    if done.returncode in (_INVALID_OUTPUT_PDF, _PDFA_CONVERSION_FAILED) and output.exists():
        return [f"PDF/A conversion incomplete: {detail}"]
    if done.returncode == _ENCRYPTED_PDF:
        raise InputFileError(
            "ไฟล์ PDF ถูกเข้ารหัส ต้องถอดรหัสก่อนนำเข้า (encrypted PDF: remove the password, "
            "e.g. `qpdf --decrypt in.pdf out.pdf`, then ingest again)", detail)
    if done.returncode == _INPUT_FILE:
        raise InputFileError("ไฟล์ PDF เสียหายหรืออ่านไม่ได้ (corrupt or unreadable PDF)", detail)
    if done.returncode == _MISSING_DEPENDENCY:
        raise OcrError("ไม่พบโปรแกรมที่ OCR ต้องใช้ (missing OCR dependency: run the install "
                       "script again)", detail)
    raise OcrError(f"OCR ล้มเหลว (ocrmypdf exit {done.returncode})", detail)
