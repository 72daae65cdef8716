"""The product's errors: each knows its exit code, HTTP status and Thai message."""

from __future__ import annotations


class SarabanError(Exception):
    """Base error. `message` is for people (Thai first); `detail` is for logs."""

    exit_code = 1
    http_status = 400

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class InputFileError(SarabanError):
    """A file cannot be read: corrupt, empty, encrypted, unsupported or too big."""

    exit_code = 2
    http_status = 422


class OcrError(SarabanError):
    """OCR failed on a file that looked readable."""

    exit_code = 3
    http_status = 500


class NotFound(SarabanError):
    """No such record or file, or the reader may not see it (same message)."""

    exit_code = 4
    http_status = 404


class PermissionDenied(SarabanError):
    """The signed-in user's role does not allow this."""

    exit_code = 5
    http_status = 403


class ConfigError(SarabanError):
    """Settings or installed programs are missing or wrong."""

    exit_code = 6
    http_status = 500


class LoanConflict(SarabanError):
    """The file or record already has an open loan (one borrower at a time, ข้อ 61–64)."""

    exit_code = 7
    http_status = 409


class LoanStateError(SarabanError):
    """A loan step out of order: returning what was never handed out, approving twice."""

    exit_code = 7
    http_status = 409


class RecordsOnLoan(SarabanError):
    """Records that are on loan may not be destroyed or transferred until they come back.

    `record_ids` names them, so a caller can list or skip them.
    """

    exit_code = 7
    http_status = 409

    def __init__(self, message: str, record_ids: set[int], detail: str = "") -> None:
        super().__init__(message, detail)
        self.record_ids = set(record_ids)
