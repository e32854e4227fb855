"""The Results screen's certificate: the exam's record read on the store thread, the
PDF made (quiz.tables.certificate_pdf, which imports fpdf2: imported here, when the
key is first pressed) and written into the certificates folder (quiz.paths) under a
name no other file has. Called from a worker thread; says what happened in a line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quiz.domain.model import Course
    from quiz.ui.saving import StoreThread


def write_certificate(
    store: Any, thread: StoreThread, attempt_id: str | None, course: Course | None
) -> str:
    """Write the certificate of the finished exam `attempt_id`; the message to show:
    where it was written, or why it was not."""
    from quiz import __version__, paths
    from quiz.errors import StoreError
    from quiz.tables.certificate_pdf import CertificateContent, CertificateRefused, save_into
    from quiz.tables.certified import titles_for, valid_until_for

    if attempt_id is None or store is None:
        return "The certificate was not written: the result is not saved yet."
    try:
        certified = thread.call(store.certified_record, attempt_id)
    except StoreError as error:
        return f"The certificate was not written: {error.message}"
    if certified is None:
        return "This attempt has no certificate: only a finished exam has one."
    record, code = certified
    content = CertificateContent(
        titles=titles_for(record, course),
        valid_until=valid_until_for(record, course),
        app_version=__version__,
    )
    try:
        path = save_into(paths.certificates_dir(), record, code, content)
    except CertificateRefused as error:
        return error.message
    except OSError as error:
        folder = paths.certificates_dir()
        return (
            f"The certificate was not written: {folder} cannot be written "
            f"({error.strerror or error}). Ask a manager to run quiz certificate {attempt_id}."
        )
    kind = "Certificate" if record.passed else "Result statement"
    return f"{kind} written: {path}"
