"""The platform certificate service (证明): issue, PDF, verify. See :mod:`.service` and docs/ledger.md."""

from __future__ import annotations

from etax.platform.certificates.service import (
    VERIFY_PATH,
    Certificate,
    CertificateContent,
    CertificateError,
    CertificateField,
    CertificateKind,
    Verification,
    VerificationStatus,
    certificate,
    certificate_pdf,
    certificates,
    issue_certificate,
    normalise_code,
    verify_certificate,
    verify_url,
)

__all__ = [
    "VERIFY_PATH",
    "Certificate",
    "CertificateContent",
    "CertificateError",
    "CertificateField",
    "CertificateKind",
    "Verification",
    "VerificationStatus",
    "certificate",
    "certificate_pdf",
    "certificates",
    "issue_certificate",
    "normalise_code",
    "verify_certificate",
    "verify_url",
]
